import { sql, type Kysely } from 'kysely';
import { DomainError, errorText } from '@shared/errors.ts';
import type { Scope } from '@shared/domain/scope.ts';
import { clampHlc } from '@shared/sync/hlc.ts';
import { runMutation, upgradeArgs } from '@shared/sync/mutators.ts';
import type { PushBody, PushReply, PushResult } from '@shared/sync/protocol.ts';
import type { Database } from '../db/database.ts';
import { ChangeBuffer, type Touched } from './change-buffer.ts';
import { KyselyMutatorTx } from './kysely-mutator-tx.ts';
import { claimClient, telemetryColumns } from './sync-clients.ts';

type Db = Kysely<Database>;

export interface PushOutcome {
  reply: PushReply;
  touched: Touched;
}

/**
 * One push, one transaction (DESIGN.md): the device's row locked, retries skipped, a gap
 * refused, each new mutation applied or rejected in its own savepoint, everything logged,
 * and the touched spaces' versions bumped last.
 */
export async function push(db: Db, scope: Scope, body: PushBody, now: Date, lang: 'zh' | 'en'): Promise<PushOutcome> {
  const changes = new ChangeBuffer();
  let touched: Touched = { spaceIds: [], memberIds: [], unitPaths: [] };
  const reply = await db.transaction().execute(async (trx) => {
    const client = await claimClient(trx, body.clientId, scope.userId, true);
    // A lost phone gets nothing in; a retired one hands its last work over for review.
    if (client.revoked_at && client.revoke_kind !== 'retire') throw new DomainError('CLIENT_REVOKED', undefined, { kind: client.revoke_kind });
    const last = client.last_mutation_id;
    const fresh = [...body.mutations].filter((m) => m.id > last).sort((a, b) => a.id - b.id);
    fresh.forEach((m, i) => {
      if (m.id !== last + 1 + i) throw new DomainError('MUTATION_GAP', undefined, { expected: last + 1 + i });
    });

    // Retries: already taken. A refusal is told again (its first answer may have been lost),
    // so the phone always learns why; anything else is a duplicate.
    const retried = body.mutations.filter((m) => m.id <= last).map((m) => m.id);
    const refused = retried.length
      ? await trx.selectFrom('mutation_log').select(['mutation_id', 'code', 'message']).where('client_id', '=', body.clientId).where('mutation_id', 'in', retried).where('status', '=', 'rejected').execute()
      : [];
    const results: PushResult[] = retried.map((id) => {
      const r = refused.find((x) => x.mutation_id === id);
      return r ? { id, status: 'rejected' as const, code: r.code ?? 'INTERNAL', message: r.message ?? '' } : { id, status: 'duplicate' as const };
    });
    if (client.revoked_at) return holdForReview(trx, body, scope.userId, last, fresh, results, lang, now);

    const log = [];
    let maxSkew: number | null = null;
    const householdInfo = new Map();
    for (const m of fresh) {
      const clamp = clampHlc(m.hlc, now.getTime());
      maxSkew = Math.max(maxSkew ?? -Infinity, clamp.skewMs);
      const ctx = { side: 'server' as const, userId: scope.userId, memberId: scope.memberId, scope, hlc: clamp.stamp, now: now.toISOString(), clientId: body.clientId };
      const mark = changes.mark();
      await sql`savepoint mutation`.execute(trx);
      let result: PushResult;
      let late = false;
      let args: unknown = m.args;
      try {
        args = upgradeArgs(m.name, m.args, body.schemaVersion);
        const tx = new KyselyMutatorTx(trx, changes, { clientId: body.clientId, mutationId: m.id, userId: scope.userId, hlc: clamp.stamp }, householdInfo);
        const r = await runMutation(tx, ctx, m.name, args);
        await sql`release savepoint mutation`.execute(trx);
        late = r.late ?? false;
        result = { id: m.id, status: r.status };
      } catch (err) {
        // A rule said no: undo this mutation's effects only, keep what was typed and why.
        if (!(err instanceof DomainError)) throw err;
        await sql`rollback to savepoint mutation`.execute(trx);
        changes.rollbackTo(mark);
        result = { id: m.id, status: 'rejected', code: err.code, message: lang === 'en' ? errorText(err.code, 'en') : err.message };
      }
      results.push(result);
      log.push({
        client_id: body.clientId, user_id: scope.userId, mutation_id: m.id, name: m.name, args: JSON.stringify(args ?? null),
        schema_version: body.schemaVersion, hlc: m.hlc, server_time: now, status: result.status, code: result.code ?? null,
        message: result.message ?? null, late, clock_clamped: clamp.clamped,
      });
    }
    if (log.length) await trx.insertInto('mutation_log').values(log).execute();

    const lastMutationId = fresh.length ? fresh[fresh.length - 1]!.id : last;
    await trx
      .updateTable('sync_clients')
      .set({
        ...telemetryColumns(body.telemetry),
        last_mutation_id: lastMutationId,
        schema_version: body.schemaVersion,
        last_push_at: now,
        ...(maxSkew !== null ? { clock_skew_ms: Math.round(maxSkew) } : {}),
      })
      .where('client_id', '=', body.clientId)
      .execute();
    touched = await changes.flush(trx);
    return { lastMutationId, results: results.sort((a, b) => a.id - b.id) };
  });
  return { reply, touched };
}

/** A retired device's queued work: kept whole for a supervisor to accept or refuse, none of it applied. */
async function holdForReview(trx: Db, body: PushBody, userId: string, last: number, fresh: PushBody['mutations'], results: PushResult[], lang: 'zh' | 'en', now: Date): Promise<PushReply> {
  if (fresh.length) {
    await trx
      .insertInto('held_mutations')
      .values(fresh.map((m) => ({ client_id: body.clientId, user_id: userId, mutation_id: m.id, name: m.name, args: JSON.stringify(m.args ?? null), schema_version: body.schemaVersion, hlc: m.hlc })))
      .execute();
  }
  const lastMutationId = fresh.length ? fresh[fresh.length - 1]!.id : last;
  await trx.updateTable('sync_clients').set({ last_mutation_id: lastMutationId, last_push_at: now }).where('client_id', '=', body.clientId).execute();
  for (const m of fresh) results.push({ id: m.id, status: 'rejected', code: 'HELD_FOR_REVIEW', message: errorText('HELD_FOR_REVIEW', lang) });
  return { lastMutationId, results: results.sort((a, b) => a.id - b.id) };
}
