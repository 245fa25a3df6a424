import { HOUSEHOLD_FIELD_POLICIES, type HouseholdField } from '../domain/household.ts';
import { canWriteHousehold } from '../domain/scope.ts';
import { DomainError } from '../errors.ts';
import type { Household } from '../schemas/household.ts';
import { compareHlc } from './hlc.ts';
import type { HouseholdUpdateArgs } from './mutations.ts';
import type { FieldMeta, FieldMetaMap, MutatorContext, MutatorResult, MutatorTx } from './mutator-tx.ts';
import { sameValue } from './same-value.ts';

/**
 * A profile edit, field by field (DESIGN.md, merge rules). Each change carries the field's
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
export async function householdUpdate(tx: MutatorTx, ctx: MutatorContext, a: HouseholdUpdateArgs): Promise<MutatorResult> {
  const h = await tx.getHousehold(a.id);
  if (!h) throw new DomainError('NOT_FOUND', '找不到该住户');
  if (!canWriteHousehold(ctx.scope, h)) throw new DomainError('OUT_OF_SCOPE');
  const changes = a.changes as Partial<Record<HouseholdField, { value: unknown; baseVersion: number }>>;
  if (changes.address && (changes.address.value as { kind: string }).kind !== h.address.kind) {
    throw new DomainError('ADDRESS_KIND_MISMATCH');
  }

  const patch: Partial<Record<HouseholdField, unknown>> = {};
  const meta: FieldMetaMap = { ...h.fieldMeta };
  let conflicted = false;
  for (const field of Object.keys(changes) as HouseholdField[]) {
    const change = changes[field]!;
    const current = h[field];
    const seen = meta[field] ?? { v: 0 };
    const written = (): FieldMeta => (ctx.side === 'server' ? stamp(seen.v + 1, ctx) : seen);
    const buildsOnIt = change.baseVersion === seen.v || (seen.c !== undefined && seen.c === ctx.clientId);
    if (buildsOnIt) {
      if (sameValue(current, change.value)) continue;
      patch[field] = change.value;
      meta[field] = written();
      continue;
    }
    if (sameValue(current, change.value)) continue; // both phones typed the same thing
    conflicted = true;
    if (HOUSEHOLD_FIELD_POLICIES[field] === 'lww') {
      const incomingWins = seen.hlc === undefined || compareHlc(ctx.hlc, seen.hlc) > 0;
      if (incomingWins) {
        patch[field] = change.value;
        meta[field] = written();
      }
      await tx.addConflict({
        table: 'households', recordId: h.id, field, policy: 'lww',
        keptValue: incomingWins ? change.value : current,
        lostValue: incomingWins ? current : change.value,
        keptBy: incomingWins ? ctx.userId : (seen.by ?? null),
        lostBy: incomingWins ? (seen.by ?? null) : ctx.userId,
        keptHlc: incomingWins ? ctx.hlc : (seen.hlc ?? null),
        lostHlc: incomingWins ? (seen.hlc ?? '') : ctx.hlc,
        status: 'logged',
      });
    } else {
      await tx.addConflict({
        table: 'households', recordId: h.id, field, policy: 'review',
        keptValue: current, lostValue: change.value, keptBy: seen.by ?? null, lostBy: ctx.userId,
        keptHlc: seen.hlc ?? null, lostHlc: ctx.hlc, status: 'open',
      });
    }
  }
  if (Object.keys(patch).length > 0) await tx.updateHousehold(h.id, patch as Partial<Pick<Household, HouseholdField>>, meta, ctx.now);
  return { status: conflicted ? 'conflict' : 'applied' };
}

function stamp(v: number, ctx: MutatorContext): FieldMeta {
  return { v, hlc: ctx.hlc, by: ctx.userId, ...(ctx.clientId ? { c: ctx.clientId } : {}) };
}
