import type { LianxinDb, OutboxEntry } from '../db/lianxin-db.ts';

/**
 * The households a queued mutation concerns. A household may not leave the device while work
 * for it waits to go up, and a household's sync state is the worst of its records'.
 */
export async function householdsOf(db: LianxinDb, entry: Pick<OutboxEntry, 'name' | 'args'>): Promise<string[]> {
  const a = entry.args as Record<string, unknown>;
  switch (entry.name) {
    case 'visit.create':
      return [a.householdId as string];
    case 'household.update':
      return [a.id as string];
    case 'dispute.open':
      return (a.householdIds as string[]) ?? [];
    case 'visit.amend': {
      const v = await db.visits.get(a.id as string);
      return v ? [v.householdId] : [];
    }
    case 'dispute.transition':
    case 'mediation.add': {
      const d = await db.disputes.get((entry.name === 'mediation.add' ? a.disputeId : a.id) as string);
      return d?.householdIds ?? [];
    }
    default:
      return [];
  }
}

/** The record a mutation writes, so a record can show its own sync state. */
export function recordOf(entry: Pick<OutboxEntry, 'name' | 'args'>): { table: string; id: string } | null {
  const a = entry.args as Record<string, unknown>;
  const table = { 'visit.create': 'visits', 'visit.amend': 'visits', 'household.update': 'households', 'dispute.open': 'disputes', 'dispute.transition': 'disputes', 'mediation.add': 'mediations' }[entry.name];
  return table && typeof a?.id === 'string' ? { table, id: a.id } : null;
}

/** Every household some pending mutation still refers to. */
export async function pendingHouseholds(db: LianxinDb): Promise<Set<string>> {
  const out = new Set<string>();
  for (const e of await db.outbox.toArray()) for (const h of await householdsOf(db, e)) out.add(h);
  return out;
}
