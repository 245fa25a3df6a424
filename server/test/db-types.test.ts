import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDb, DB_KINDS, type TestDb } from './test-db.ts';

/**
 * The Kysely table types (server/src/db/database.ts) are written by hand to carry real unions
 * for statuses and kinds. This reads them with the TypeScript compiler and compares them with
 * the migrated database: a column added, dropped or made nullable by a migration and not in
 * the types (or the other way round) fails here.
 */
interface DeclaredColumn {
  nullable: boolean;
}

function declaredTables(): Map<string, Map<string, DeclaredColumn>> {
  const file = new URL('../src/db/database.ts', import.meta.url);
  const source = ts.createSourceFile('database.ts', readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  source.forEachChild((n) => {
    if (ts.isInterfaceDeclaration(n)) interfaces.set(n.name.text, n);
  });
  const tables = new Map<string, Map<string, DeclaredColumn>>();
  for (const member of interfaces.get('Database')!.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const table = (member.name as ts.Identifier).text;
    const decl = interfaces.get(member.type.getText(source))!;
    const columns = new Map<string, DeclaredColumn>();
    for (const p of decl.members) {
      if (!ts.isPropertySignature(p) || !p.type) continue;
      const text = p.type.getText(source);
      // `X | null`, `NullableTimestamp`, `ColumnType<T | null, …>`: what a select returns may be null.
      columns.set((p.name as ts.Identifier).text, { nullable: /\bnull\b|^Nullable/.test(text.split(',')[0]!) });
    }
    tables.set(table, columns);
  }
  return tables;
}

describe.each(DB_KINDS)('Kysely table types match the migrated schema on %s', (kind) => {
  let d: TestDb;
  beforeAll(async () => {
    d = await createTestDb(kind);
  });
  afterAll(() => d.drop());

  it('names every table and column, with the same nullability', async () => {
    const declared = declaredTables();
    const { rows } = await sql<{ table_name: string; column_name: string; is_nullable: 'YES' | 'NO' }>`
      select table_name, column_name, is_nullable from information_schema.columns
      where table_schema = 'public' and table_name not like 'kysely_%'`.execute(d.opened.db);
    const actual = new Map<string, Map<string, DeclaredColumn>>();
    for (const r of rows) {
      const t = actual.get(r.table_name) ?? new Map<string, DeclaredColumn>();
      t.set(r.column_name, { nullable: r.is_nullable === 'YES' });
      actual.set(r.table_name, t);
    }
    const shape = (m: Map<string, Map<string, DeclaredColumn>>) =>
      Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([t, cols]) => [t, Object.fromEntries([...cols].sort(([a], [b]) => a.localeCompare(b)).map(([c, v]) => [c, v.nullable ? 'null' : 'not null']))]));
    expect(shape(declared)).toEqual(shape(actual));
  });
});
