import type { Kysely } from 'kysely';
import { DomainError, errorText } from '@shared/errors.ts';
import type { Scope } from '@shared/domain/scope.ts';
import type { PushBody, PushReply, PushResult } from '@shared/sync/protocol.ts';
import type { Database } from '../db/database.ts';
import { ChangeBuffer, type Touched } from './change-buffer.ts';
import { OneByOne, runBatch, runOneByOne } from './batch-runner.ts';
import { storableArgs } from './mutation-runner.ts';
import { claimClient, telemetryColumns, userAgentColumn } from './sync-clients.ts';
import { SyncWriter } from './sync-writer.ts';

type Db = Kysely<Database>;

export interface PushOutcome {
  reply: PushReply;
  touched: Touched;
}

/**
 * One push, one transaction (DESIGN.md):
 * 1. lock the device's row, check it is the caller's and not lost;
 * 2. skip retries (re-telling the reason of a refusal), refuse a gap;
 * 3. a retired device's new work goes whole to the holding area;
 * 4. run the new mutations as a batch (batch-runner.ts: read ahead, validated in memory, written
 *    per table; a refusal stays with its mutation — applied, conflict, duplicate or rejected),
 *    log them all; when a batch cannot be undone in part, the whole push runs again, each
 *    mutation in its own savepoint;
 * 5. store the device's telemetry and position; stamp the change log's versions last.
 */
export async function push(db: Db, scope: Scope, body: PushBody, now: Date, lang: 'zh' | 'en', userAgent?: string): Promise<PushOutcome> {
  try {
    return await pushOnce(db, scope, body, now, lang, userAgent, false);
  } catch (err) {
    // A batch that cannot be undone in part (see batch-runner.ts): all of it again, one by one.
    if (err instanceof OneByOne) return pushOnce(db, scope, body, now, lang, userAgent, true);
    throw err;
  }
}

async function pushOnce(db: Db, scope: Scope, body: PushBody, now: Date, lang: 'zh' | 'en', userAgent: string | undefined, oneByOne: boolean): Promise<PushOutcome> {
  const changes = new ChangeBuffer();
  let touched: Touched = { spaceIds: [], memberIds: [], unitPaths: [] };
  const reply = await db.transaction().execute(async (trx) => {
    // 1.
    const client = await claimClient(trx, body.clientId, scope.userId, true);
    if (client.revoked_at && client.revoke_kind !== 'retire') throw new DomainError('CLIENT_REVOKED', undefined, { kind: client.revoke_kind });
    // 2.
    const last = client.last_mutation_id;
    const fresh = [...body.mutations].filter((m) => m.id > last).sort((a, b) => a.id - b.id);
    fresh.forEach((m, i) => {
      if (m.id !== last + 1 + i) throw new DomainError('MUTATION_GAP', undefined, { expected: last + 1 + i });
    });
    const retried = body.mutations.filter((m) => m.id <= last).map((m) => m.id);
    const refused = retried.length
      ? await trx.selectFrom('mutation_log').select(['mutation_id', 'code', 'message']).where('client_id', '=', body.clientId).where('mutation_id', 'in', retried).where('status', '=', 'rejected').execute()
      : [];
    const results: PushResult[] = retried.map((id) => {
      const r = refused.find((x) => x.mutation_id === id);
      return r ? { id, status: 'rejected' as const, code: r.code ?? 'INTERNAL', message: r.message ?? '' } : { id, status: 'duplicate' as const };
    });
    // 3.
    if (client.revoked_at) return holdForReview(trx, body, scope.userId, last, fresh, results, lang, now);
    // 4.
    const writer = new SyncWriter(trx, changes);
    const logged = fresh.map((m) => ({ clientId: body.clientId, mutationId: m.id, name: m.name, args: m.args, hlc: m.hlc, schemaVersion: body.schemaVersion, userId: scope.userId, scope }));
    const outcomes = oneByOne ? await runOneByOne(writer, logged, now, lang) : await runBatch(writer, logged, now, lang);
    outcomes.forEach((out, i) => results.push({ id: fresh[i]!.id, status: out.status, ...(out.code ? { code: out.code, message: out.message } : {}) }));
    const newestSkew = outcomes.length ? outcomes[outcomes.length - 1]!.skewMs : null;
    const log = outcomes.map((o) => o.log);
    for (let i = 0; i < log.length; i += 500) await trx.insertInto('mutation_log').values(log.slice(i, i + 500) as never).execute();
    // 5.
    const lastMutationId = fresh.length ? fresh[fresh.length - 1]!.id : last;
    await trx
      .updateTable('sync_clients')
      .set({
        ...telemetryColumns(body.telemetry, now),
        ...userAgentColumn(userAgent),
        // Without the device's own clock in the telemetry (older apps), its newest stamp tells.
        ...(body.telemetry?.deviceTime === undefined && newestSkew !== null ? { clock_skew_ms: Math.max(0, Math.round(newestSkew)) } : {}),
        last_mutation_id: lastMutationId,
        schema_version: body.schemaVersion,
        last_push_at: now,
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
      .values(fresh.map((m) => ({ client_id: body.clientId, user_id: userId, mutation_id: m.id, name: m.name, args: storableArgs(m.args), schema_version: body.schemaVersion, hlc: m.hlc })))
      .execute();
  }
  const lastMutationId = fresh.length ? fresh[fresh.length - 1]!.id : last;
  await trx.updateTable('sync_clients').set({ last_mutation_id: lastMutationId, last_push_at: now }).where('client_id', '=', body.clientId).execute();
  for (const m of fresh) results.push({ id: m.id, status: 'rejected', code: 'HELD_FOR_REVIEW', message: errorText('HELD_FOR_REVIEW', lang) });
  return { lastMutationId, results: results.sort((a, b) => a.id - b.id) };
}
