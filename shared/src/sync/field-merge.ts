import type { FieldMeta, FieldMetaMap, MutatorContext, MutatorTx } from './mutator-tx.ts';
import type { SyncTable } from './registry.ts';
import { compareHlc } from './hlc.ts';
import { sameValue } from './same-value.ts';

/**
 * How a concurrent edit of a field is settled (DESIGN.md, merge rules): `lww` takes the later
 * HLC and logs the losing value; `review` keeps the current value and opens a conflict for a
 * supervisor.
 */
export type FieldPolicy = 'lww' | 'review';

export interface FieldChange {
  value: unknown;
  baseVersion: number;
}

/** The version stamp of a field edit: only the server counts versions (see mergeFieldEdits). */
export function stampField(ctx: MutatorContext, seen: FieldMeta): FieldMeta {
  if (ctx.side !== 'server') return seen;
  return { v: seen.v + 1, hlc: ctx.hlc, by: ctx.userId, ...(ctx.clientId ? { c: ctx.clientId } : {}) };
}

/**
 * Field-by-field edits of a record that keeps `fieldMeta`. Each change carries the field's
 * version the phone last saw *from the server*: the same version applies; the same value is
 * nothing to do; anything else was concurrent and the field's policy settles it. Different
 * fields never conflict.
 *
 * Only the server counts versions. A phone applies its edit to its copy but leaves the version
 * alone, so two edits of one field made offline both carry the version it last pulled; the
 * server accepts the second as building on the first because the last edit came from the same
 * device (`c`), which sends its mutations in order. Were the phone to bump the version itself,
 * its second edit could match a version written meanwhile by someone else and overwrite that
 * value unseen.
 */
export async function mergeFieldEdits(
  tx: MutatorTx,
  ctx: MutatorContext,
  table: SyncTable,
  row: { id: string; fieldMeta: FieldMetaMap } & Record<string, unknown>,
  changes: Record<string, FieldChange | undefined>,
  policies: Record<string, FieldPolicy>,
): Promise<{ patch: Record<string, unknown>; fieldMeta: FieldMetaMap; conflicted: boolean }> {
  const patch: Record<string, unknown> = {};
  const fieldMeta: FieldMetaMap = { ...row.fieldMeta };
  let conflicted = false;
  for (const [field, change] of Object.entries(changes)) {
    if (!change) continue;
    const current = row[field];
    const seen = fieldMeta[field] ?? { v: 0 };
    const buildsOnIt = change.baseVersion === seen.v || (seen.c !== undefined && seen.c === ctx.clientId);
    if (sameValue(current, change.value)) continue; // nothing to do, or both phones typed the same thing
    if (buildsOnIt) {
      patch[field] = change.value;
      fieldMeta[field] = stampField(ctx, seen);
      continue;
    }
    conflicted = true;
    if (policies[field] === 'lww') {
      const incomingWins = seen.hlc === undefined || compareHlc(ctx.hlc, seen.hlc) > 0;
      if (incomingWins) {
        patch[field] = change.value;
        fieldMeta[field] = stampField(ctx, seen);
      }
      await tx.addConflict({
        table, recordId: row.id, field, policy: 'lww', status: 'logged',
        keptValue: incomingWins ? change.value : current,
        lostValue: incomingWins ? current : change.value,
        keptBy: incomingWins ? ctx.userId : (seen.by ?? null),
        lostBy: incomingWins ? (seen.by ?? null) : ctx.userId,
        keptHlc: incomingWins ? ctx.hlc : (seen.hlc ?? null),
        lostHlc: incomingWins ? (seen.hlc ?? '') : ctx.hlc,
      });
    } else {
      await tx.addConflict({
        table, recordId: row.id, field, policy: 'review', status: 'open',
        keptValue: current, lostValue: change.value, keptBy: seen.by ?? null, lostBy: ctx.userId,
        keptHlc: seen.hlc ?? null, lostHlc: ctx.hlc,
      });
    }
  }
  return { patch, fieldMeta, conflicted };
}
