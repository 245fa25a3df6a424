/** ElTable's sort directions (null: as given). */
export type SortOrder = 'ascending' | 'descending' | null;

type Key = string | number | boolean | null | undefined;

/**
 * Rows sorted by a key, across every row rather than the page shown. Text compares as Chinese
 * readers expect (pinyin order), empty values go last either way, and equal keys keep their order.
 */
export function sortRows<T>(rows: readonly T[], key: (row: T) => Key, order: SortOrder): T[] {
  if (!order) return [...rows];
  const dir = order === 'ascending' ? 1 : -1;
  const collator = new Intl.Collator('zh-CN', { numeric: true });
  return rows
    .map((row, i) => ({ row, i, k: key(row) }))
    .sort((a, b) => {
      const ae = a.k === null || a.k === undefined || a.k === '';
      const be = b.k === null || b.k === undefined || b.k === '';
      if (ae || be) return ae === be ? a.i - b.i : ae ? 1 : -1;
      const c = typeof a.k === 'string' && typeof b.k === 'string' ? collator.compare(a.k, b.k) : Number(a.k) - Number(b.k);
      return c === 0 ? a.i - b.i : c * dir;
    })
    .map((x) => x.row);
}
