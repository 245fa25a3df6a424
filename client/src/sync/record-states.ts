import type { LianxinDb } from '../db/lianxin-db.ts';
import { householdsOf, recordOf } from './outbox-refs.ts';

/** A record's own sync state; a household shows the worst among its records. */
export type RecordState = 'synced' | 'pending' | 'conflict' | 'rejected';
const RANK: Record<RecordState, number> = { synced: 0, pending: 1, conflict: 2, rejected: 3 };
export const worse = (a: RecordState, b: RecordState): RecordState => (RANK[b] > RANK[a] ? b : a);

export interface RecordStates {
  byRecord: Map<string, RecordState>;
  byHousehold: Map<string, RecordState>;
}

/** Reads outbox, refused work and open conflicts into per-record and per-household states. */
export async function recordStates(db: LianxinDb): Promise<RecordStates> {
  const byRecord = new Map<string, RecordState>();
  const byHousehold = new Map<string, RecordState>();
  const mark = (map: Map<string, RecordState>, key: string, state: RecordState) => map.set(key, worse(map.get(key) ?? 'synced', state));
  const entries = [
    ...(await db.outbox.toArray()).map((e) => ({ e, state: 'pending' as const })),
    ...(await db.rejected.toArray()).map((e) => ({ e, state: 'rejected' as const })),
  ];
  for (const { e, state } of entries) {
    const rec = recordOf(e);
    if (rec) mark(byRecord, rec.id, state);
    for (const h of await householdsOf(db, e)) mark(byHousehold, h, state);
  }
  for (const c of await db.conflicts.where('status').equals('open').toArray()) {
    mark(byRecord, c.recordId, 'conflict');
    for (const h of c.householdIds) mark(byHousehold, h, 'conflict');
  }
  return { byRecord, byHousehold };
}
