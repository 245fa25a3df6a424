import { ElTableColumn } from 'element-plus';

/**
 * ElTableColumn with its cell slot typed by the table's row (in a template its row type cannot
 * be given, so `row` would be any record): `const Col = columnFor<Row>()`, then `<Col>` where
 * `<el-table-column>` would be.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Element Plus's own bound for a row
export function columnFor<T extends Record<PropertyKey, any>>() {
  return ElTableColumn as typeof ElTableColumn<T>;
}
