import { sql, type Kysely } from 'kysely';
import { DomainError, errorText, type ErrorCode } from '@shared/errors.ts';
import type { Scope } from '@shared/domain/scope.ts';
import { clampHlc, parseHlc } from '@shared/sync/hlc.ts';
import type { RowRead } from '@shared/sync/kind.ts';
import type { MutatorContext } from '@shared/sync/mutator-tx.ts';
import { runMutation, upgradeArgs, validateArgs } from '@shared/sync/mutators.ts';
import type { MutationStatus } from '@shared/sync/protocol.ts';
import { mutationDef } from '@shared/sync/registry.ts';
import { KyselyMutatorTx, type RowCache } from './kysely-mutator-tx.ts';
import type { SyncWriter } from './sync-writer.ts';

/** One queued change as it arrives, with who sent it from where. */
export interface LoggedMutation {
  clientId: string;
  mutationId: number;
  name: string;
  args: unknown;
  hlc: string;
  schemaVersion: number;
  userId: string;
  scope: Scope;
}

export interface RunOutcome {
  status: MutationStatus;
  code?: ErrorCode;
  message?: string;
  /** The mutation_log row to write (the caller batches them). */
  log: Record<string, unknown>;
  /** How far the device's clock ran ahead of the server's (ms), from the stamp. */
  skewMs: number;
}

// A stamp's wall time this far from now is not a clock, it is garbage (ffff…): refused.
const SANE_WALL = { min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') };

/**
 * Errors that say the database or the connection is in trouble, not the mutation: thrown, so
 * the push answers 5xx and the phone retries, never turned into a refusal of the member's work
 * (SQLSTATE 08 connection, 40 serialization/deadlock, 53 resources, 57 operator intervention,
 * 58 system, XX internal; a socket error code such as ECONNRESET). Anything else — a value the
 * database refuses, a date JavaScript cannot read — is this mutation's own; if the savepoint
 * cannot even be rolled back, that rollback's error is thrown instead.
 */
export function isInfrastructure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (/^(08|40|53|57|58|XX)/.test(code) || !/^[0-9A-Z]{5}$/.test(code));
}

/**
 * Arguments as the log can keep them: NUL and lone surrogates (which jsonb refuses) replaced,
 * and anything absurdly deep or large cut down, so that what a member typed is kept as far as
 * it can be stored, and storing it never fails.
 */
export function storableArgs(args: unknown): string {
  let text: string;
  try {
    // eslint-disable-next-line no-control-regex -- NUL is exactly what jsonb refuses
    text = JSON.stringify(args ?? null, (_k, v: unknown) => (typeof v === 'string' ? v.replace(/\u0000/g, '\uFFFD').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD') : v)) ?? 'null';
  } catch {
    return JSON.stringify({ unreadable: true });
  }
  return text.length <= 64 * 1024 ? text : JSON.stringify({ truncated: true, start: text.slice(0, 2000).replace(/[\uD800-\uDFFF]$/, '') });
}

/** A mutation made ready to run: its stamp checked and clamped, its arguments brought up to date. */
interface Ready {
  args: unknown;
  tx: KyselyMutatorTx;
  ctx: MutatorContext;
  skewMs: number;
  clamped: boolean;
}

/** Checks a mutation's stamp and upgrades its arguments; throws the refusal of a bad stamp or version. */
function ready(writer: SyncWriter, m: LoggedMutation, now: Date, cache?: RowCache): Ready {
  const wall = parseHlc(m.hlc).wall;
  if (!(wall >= SANE_WALL.min && wall < SANE_WALL.max)) throw new DomainError('VALIDATION_FAILED', '设备时间异常，请校准手机时间后重新提交');
  const clamp = clampHlc(m.hlc, now.getTime());
  const args = upgradeArgs(m.name, m.args, m.schemaVersion);
  const tx = new KyselyMutatorTx(writer, { clientId: m.clientId, mutationId: m.mutationId, userId: m.userId, hlc: clamp.stamp, now: now.toISOString() }, cache);
  const ctx: MutatorContext = { side: 'server', userId: m.userId, memberId: m.scope.memberId, scope: m.scope, hlc: clamp.stamp, now: now.toISOString(), deviceNow: wall, clientId: m.clientId };
  return { args, tx, ctx, skewMs: clamp.skewMs, clamped: clamp.clamped };
}

/**
 * The rows a mutation declares it reads (its own record and its kind's `reads`), for a batch to
 * read beforehand; none for one whose stamp or arguments are refused anyway.
 */
export function declaredReads(m: LoggedMutation): RowRead[] {
  try {
    const args = upgradeArgs(m.name, m.args, m.schemaVersion);
    validateArgs(m.name, args);
    const { kind, def } = mutationDef(m.name)!;
    return [{ table: kind.table, id: def.record(args) }, ...(def.reads?.(args) ?? [])];
  } catch {
    return [];
  }
}

/**
 * Runs one mutation without a savepoint of its own, reading from a batch's cache: what it
 * throws is the batch's to handle (see batch-runner.ts).
 */
export async function runInBatch(writer: SyncWriter, cache: RowCache, m: LoggedMutation, now: Date): Promise<RunOutcome> {
  const r = ready(writer, m, now, cache);
  const out = await runMutation(r.tx, r.ctx, m.name, r.args);
  const clamped = r.clamped || (out.clamped ?? false);
  return { status: out.status, log: logRow(m, r.args, now, { status: out.status, late: out.late ?? false, clamped }), skewMs: r.skewMs };
}

/**
 * What a refused mutation tells: a rule's code and words, or MUTATION_FAILED for what the
 * database or the code could not take. Trouble with the database itself is thrown on.
 */
function refusal(err: unknown, m: LoggedMutation, lang: 'zh' | 'en'): { code: ErrorCode; message: string } {
  if (!(err instanceof DomainError) && isInfrastructure(err)) throw err;
  if (err instanceof DomainError) return { code: err.code, message: lang === 'en' ? errorText(err.code, 'en') : err.message };
  console.error(`mutation ${m.clientId}#${m.mutationId} (${m.name}) failed:`, err);
  return { code: 'MUTATION_FAILED', message: errorText('MUTATION_FAILED', lang) };
}

/** The mutation_log row of one mutation. */
function logRow(m: LoggedMutation, args: unknown, now: Date, o: { status: MutationStatus; code?: ErrorCode; message?: string; late: boolean; clamped: boolean }): Record<string, unknown> {
  return {
    client_id: m.clientId, user_id: m.userId, mutation_id: m.mutationId, name: m.name, args: storableArgs(args),
    schema_version: m.schemaVersion, hlc: m.hlc, server_time: now, status: o.status, code: o.code ?? null, message: o.message ?? null,
    late: o.late, clock_clamped: o.clamped,
  };
}

/**
 * Runs one mutation in its own savepoint, for a push and for a supervisor accepting held work
 * alike: applied, a conflict, a duplicate, or rejected — by a rule (its code), or because the
 * database or the code could not take it (MUTATION_FAILED): either way its effects roll back,
 * the arguments and the reason are logged, and the queue moves on. Only trouble with the
 * database itself is thrown, for the whole push to be retried.
 */
export async function runLogged(writer: SyncWriter, m: LoggedMutation, now: Date, lang: 'zh' | 'en'): Promise<RunOutcome> {
  const trx: Kysely<any> = writer.trx;
  let skewMs = 0;
  let clamped = false;
  let status: MutationStatus;
  let code: ErrorCode | undefined;
  let message: string | undefined;
  let late = false;
  let args: unknown = m.args;
  await writer.flushPending();
  const mark = writer.changes.mark();
  await sql`savepoint mutation`.execute(trx);
  try {
    const r = ready(writer, m, now);
    skewMs = r.skewMs;
    clamped = r.clamped;
    args = r.args;
    const out = await runMutation(r.tx, r.ctx, m.name, r.args);
    await writer.flushPending();
    await sql`release savepoint mutation`.execute(trx);
    status = out.status;
    late = out.late ?? false;
    clamped ||= out.clamped ?? false;
  } catch (err) {
    if (!(err instanceof DomainError) && isInfrastructure(err)) throw err;
    writer.discardPending();
    await sql`rollback to savepoint mutation`.execute(trx);
    writer.changes.rollbackTo(mark);
    status = 'rejected';
    ({ code, message } = refusal(err, m, lang));
  }
  return { status, ...(code ? { code, message } : {}), log: logRow(m, args, now, { status, code, message, late, clamped }), skewMs };
}
