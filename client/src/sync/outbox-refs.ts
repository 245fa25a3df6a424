import { recordHome } from '@shared/sync/record-home.ts';
import { mutationDef } from '@shared/sync/registry.ts';
import type { LianxinDb, OutboxEntry } from '../db/lianxin-db.ts';

type Entry = Pick<OutboxEntry, 'name' | 'args'>;

/** The record a mutation writes (its kind's table and id), so a record can show its own sync state. */
export function recordOf(entry: Entry): { table: string; id: string } | null {
  const found = mutationDef(entry.name);
  if (!found) return null;
  try {
    const id = found.def.record(entry.args);
    return typeof id === 'string' ? { table: found.kind.table, id } : null;
  } catch {
    return null; // arguments too broken to name a record: the server will say so
  }
}

/**
 * The households a queued mutation concerns, from its record's visibility rules over its
 * arguments and the record on the phone. A household may
 * not leave the device while work for it waits to go up, and a household's sync state is the
 * worst of its records'.
 */
export async function householdsOf(db: LianxinDb, entry: Entry): Promise<string[]> {
  const rec = recordOf(entry);
  if (!rec) return [];
  // The arguments say what the work is about; the stored record fills in what they leave out.
  const row = { ...((await db.table(rec.table).get(rec.id)) as object | undefined), ...(entry.args as object) } as Record<string, unknown>;
  const get = async (table: string, id: string) => db.table(table).get(id);
  return (await recordHome({ get } as Parameters<typeof recordHome>[0], rec.table, row)).householdIds;
}

/** Every household some pending mutation still refers to. */
export async function pendingHouseholds(db: LianxinDb): Promise<Set<string>> {
  const out = new Set<string>();
  for (const e of await db.outbox.toArray()) for (const h of await householdsOf(db, e)) out.add(h);
  return out;
}
