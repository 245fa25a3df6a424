import { allKinds, kindOf } from '@shared/sync/registry.ts';
import type { UnitRow } from '../db/database.ts';
import { textToPath } from '../db/unit-path.ts';
import { columnOf, loadByIds } from './row-codec.ts';
import type { SyncWriter } from './sync-writer.ts';

/**
 * After a subtree moved (its paths rewritten in one statement), the devices learn it: every
 * unit of the subtree, seen before and after, and every row of any kind that carries a path
 * looked up from one of those units (a household's, a dispute's branch). Devices whose own place
 * moved restart their copy anyway (their scope's shape changed).
 */
export async function touchMoved(writer: SyncWriter, before: UnitRow[]): Promise<void> {
  const ids = before.map((u) => u.id);
  const now = await loadByIds(writer.trx, kindOf('units'), ids);
  const old = new Map(before.map((u) => [u.id, { id: u.id, kind: u.kind, name: u.name, parentId: u.parent_id, spaceId: u.space_id, retiredAt: u.retired_at ? u.retired_at.toISOString() : null, path: textToPath(u.path) }]));
  for (const unit of now) await writer.touch('units', unit, old.get(unit.id as string) ?? null);
  for (const kind of allKinds()) {
    const keys = [...new Set(Object.values(kind.lookups ?? {}).filter((l) => l?.table === 'units').map((l) => l!.key))];
    if (keys.length === 0 || kind.table === 'units') continue;
    for (const key of keys) {
      const rows = await writer.trx.selectFrom(kind.table).select('id').where(columnOf(key), 'in', ids).execute();
      for (const row of await loadByIds(writer.trx, kind, rows.map((r: { id: string }) => r.id))) await writer.touch(kind.table, row);
    }
  }
}
