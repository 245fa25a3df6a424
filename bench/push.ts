/**
 * Push throughput against a plain batched INSERT of the same visit rows into the same table, in
 * one run on PostgreSQL (issue 14), with the push of a baseline commit beside this tree's.
 * Prints medians; not a test.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/push.ts
 *   BENCH_QUICK=1 npx tsx bench/push.ts            # fewer batches, the demo organisation: < 60 s
 *
 * BENCH_BASELINE_REF (default 29876a6, main before the set-based push) has its server/ unpacked
 * with `git archive` into a temporary folder and loaded beside this tree's, in the same process
 * (shared/ is this tree's). Each side gets a database of its own on BENCH_DATABASE_URL (created,
 * migrated by its own migrations, loaded with the same organisation, dropped at the end). Each
 * round pushes one batch of 50 `visit.create` from a member's device through each side's push
 * service (`push()` in server/src/sync/push-service.ts: the transaction, the checks, the rows,
 * the mutation log and the change log), and inserts 50 fresh visit rows of the same content with
 * one multi-row INSERT into this tree's `visits` table; the three are timed in rotating order so a
 * busy machine slows them alike. Statements are counted at the database (Kysely's log), with the
 * time spent waiting on them (the rest of a push is the server's own work).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect, sql, type LogEvent } from 'kysely';
import pg from 'pg';
import type { Database } from '../server/src/db/database.ts';
import '../server/src/db/open.ts'; // pg's type parsers (bigint as number), as the server sets them
import { DEMO_SIZE, LARGE_SIZE, generateOrg, type GeneratedOrg } from '../server/src/demo/generate-org.ts';
import type { Scope } from '../shared/src/domain/scope.ts';
import { HlcClock } from '../shared/src/sync/hlc.ts';
import { SCHEMA_VERSION } from '../shared/src/sync/mutators.ts';
import { median, ms, quantile } from './lib.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = Number(process.env.BENCH_RUNS ?? (QUICK ? 20 : 200));
const WARMUP = 3;
const BATCH = 50;
const baselineRef = process.env.BENCH_BASELINE_REF ?? '29876a6';
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

type PushFn = (db: Kysely<Database>, scope: Scope, body: unknown, now: Date, lang: 'zh' | 'en') => Promise<{ reply: { results: { status: string }[] } }>;

interface Side {
  label: string;
  db: Kysely<Database>;
  push: PushFn;
  count: { statements: number; dbMs: number };
  close(): Promise<void>;
}

async function admin(q: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(q);
  await c.end();
}

/** One tree's push service on a database of its own, loaded with `org`, counting statements. */
async function side(root: string, label: string, tag: string, org: GeneratedOrg): Promise<Side> {
  const imp = (p: string) => import(join(root, p));
  const { migrateToLatest } = await imp('server/src/db/migrate.ts');
  const { loadOrg } = await imp('server/src/demo/load-org.ts');
  const { push } = await imp('server/src/sync/push-service.ts');
  const count = { statements: 0, dbMs: 0 };
  const log = (e: LogEvent) => {
    count.statements += 1;
    count.dbMs += e.queryDurationMillis;
  };
  const name = `lianxin_bench_push_${tag}_${process.pid}`;
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: u.toString(), max: 4 }) }), log });
  try {
    await migrateToLatest(db);
    await loadOrg(db, org);
    await sql`analyze`.execute(db);
  } catch (err) {
    await db.destroy();
    await admin(`drop database if exists ${name} with (force)`);
    throw err;
  }
  return {
    label, db, push, count,
    async close() {
      await db.destroy();
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}

/** A member's phone: numbers its mutations and stamps them, one client id per side. */
class Device {
  readonly clientId = `bench-${randomUUID()}`;
  readonly clock = new HlcClock(this.clientId, () => Date.now());
  next = 1;
  constructor(
    readonly scope: Scope,
    readonly households: string[],
  ) {}
}

let serial = 0;
/** 50 visits as a phone makes them (the same content on every side). */
function visitBatch(households: string[]): Record<string, unknown>[] {
  return Array.from({ length: BATCH }, (_, j) => {
    const i = serial++;
    return {
      id: randomUUID(), householdId: households[(i + j) % households.length]!, visitedAt: new Date(Date.now() - (i % 500) * 3_600_000).toISOString(),
      method: 'in_person', duty: 'concerns', followUp: i % 5 === 0, concernCategories: i % 3 === 0 ? ['water'] : [],
      summary: `第${i + 1}次走访：了解老人身体情况和生活困难，反映村道路灯损坏、雨季排水不畅，已登记并告知处理进度。`,
    };
  });
}

async function pushBatch(s: Side, d: Device, visits: Record<string, unknown>[]): Promise<{ ms: number; statements: number; dbMs: number }> {
  const mutations = visits.map((args) => ({ id: d.next++, name: 'visit.create', args: { ...args, id: randomUUID() }, hlc: d.clock.tick() }));
  s.count.statements = 0;
  s.count.dbMs = 0;
  const t0 = performance.now();
  const { reply } = await s.push(s.db, d.scope, { clientId: d.clientId, schemaVersion: SCHEMA_VERSION, mutations }, new Date(), 'zh');
  const took = performance.now() - t0;
  if (reply.results.length !== BATCH || reply.results.some((r) => r.status !== 'applied')) throw new Error(`${s.label}: push not applied: ${JSON.stringify(reply.results.slice(0, 3))}`);
  return { ms: took, statements: s.count.statements, dbMs: s.count.dbMs };
}

/** The same visit rows as the push stores them, with one multi-row INSERT (autocommit). */
async function plainInsert(s: Side, memberId: string, spaceOf: Map<string, string>, visits: Record<string, unknown>[]): Promise<number> {
  const now = new Date().toISOString();
  const rows = visits.map((v) => ({
    id: randomUUID(), household_id: v.householdId as string, member_id: memberId, visited_at: v.visitedAt as string, method: v.method as string,
    duty: v.duty as string, summary: v.summary as string, concerns: '', concern_categories: JSON.stringify(v.concernCategories), follow_up: v.followUp as boolean,
    late: false, created_at: now, amended_at: null, hlc: `${Date.now().toString(16).padStart(12, '0')}-0000-plain`, space_id: spaceOf.get(v.householdId as string)!,
  }));
  const t0 = performance.now();
  await s.db.insertInto('visits').values(rows as never).execute();
  return performance.now() - t0;
}

const rate = (perBatchMs: number) => (BATCH * 1000) / perBatchMs;

const baselineRoot = mkdtempSync(join(tmpdir(), 'lianxin-bench-baseline-'));
const sides: Side[] = [];
try {
  execFileSync('tar', ['-x', '-C', baselineRoot], { input: execFileSync('git', ['-C', repo, 'archive', baselineRef, 'server']) });
  symlinkSync(join(repo, 'node_modules'), join(baselineRoot, 'node_modules'));
  const org = generateOrg(QUICK ? DEMO_SIZE : LARGE_SIZE, 1);
  const base = await side(baselineRoot, `baseline ${baselineRef}`, 'base', org);
  sides.push(base);
  const now = await side(repo, 'now', 'now', org);
  sides.push(now);

  const unitSpace = new Map(org.units.map((u) => [u.id, u.spaceId ?? u.id]));
  const spaceOf = new Map(org.households.map((h) => [h.id, unitSpace.get(h.unitId)!]));
  const members = org.members.filter((m) => org.households.filter((h) => h.memberId === m.id).length >= 5).slice(0, 20);
  const devices = members.map((m) => {
    const scope: Scope = { userId: m.userId, memberId: m.id, readRoots: [], adminRoots: [] };
    const households = org.households.filter((h) => h.memberId === m.id).map((h) => h.id);
    return { member: m, on: new Map([base, now].map((s) => [s, new Device(scope, households)])) };
  });

  const figures = { base: [] as number[], now: [] as number[], plain: [] as number[], baseStatements: [] as number[], nowStatements: [] as number[], baseDb: [] as number[], nowDb: [] as number[] };
  const t0 = performance.now();
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const dev = devices[i % devices.length]!;
    const visits = visitBatch(dev.on.get(now)!.households);
    const steps = [
      async () => {
        const r = await pushBatch(base, dev.on.get(base)!, visits);
        if (i < WARMUP) return;
        figures.base.push(r.ms);
        figures.baseStatements.push(r.statements);
        figures.baseDb.push(r.dbMs);
      },
      async () => {
        const r = await pushBatch(now, dev.on.get(now)!, visits);
        if (i < WARMUP) return;
        figures.now.push(r.ms);
        figures.nowStatements.push(r.statements);
        figures.nowDb.push(r.dbMs);
      },
      async () => {
        const took = await plainInsert(now, dev.member.id, spaceOf, visits);
        if (i >= WARMUP) figures.plain.push(took);
      },
    ];
    for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]!();
  }
  const counts = await Promise.all([base, now].map(async (s) => Number((await sql<{ n: number }>`select count(*)::int as n from visits`.execute(s.db)).rows[0]!.n)));
  const expected = (WARMUP + ROUNDS) * BATCH;
  if (counts[0] !== expected || counts[1] !== expected * 2) throw new Error(`visits stored: ${counts.join(', ')}; expected ${expected} and ${expected * 2}`);

  const b = median(figures.base), n = median(figures.now), p = median(figures.plain);
  console.log(`\n== PostgreSQL: ${org.households.length.toLocaleString()} households, ${ROUNDS} rounds of ${BATCH} visits (after ${WARMUP} warm-up rounds), ${((performance.now() - t0) / 1000).toFixed(1)} s ==`);
  console.log(`push of ${BATCH} visits, ${base.label}: median ${ms(b)} (p95 ${ms(quantile(figures.base, 0.95))}), ${median(figures.baseStatements)} statements (waiting on them ${ms(median(figures.baseDb))}); ${rate(b).toFixed(0)} mutations/s, ratio ${(p / b).toFixed(3)}`);
  console.log(`push of ${BATCH} visits, now: median ${ms(n)} (p95 ${ms(quantile(figures.now, 0.95))}), ${median(figures.nowStatements)} statements (waiting on them ${ms(median(figures.nowDb))}); ${rate(n).toFixed(0)} mutations/s`);
  console.log(`plain INSERT of the same ${BATCH} visit rows (one statement, autocommit): median ${ms(p)} (p95 ${ms(quantile(figures.plain, 0.95))})`);
  console.log(`now ÷ baseline: ×${(b / n).toFixed(2)} faster; visits stored ${counts.join(' / ')}, none lost or doubled`);
  console.log(`push: ${rate(n).toFixed(0)} mutations/s, plain INSERT ${rate(p).toFixed(0)} rows/s, ratio ${(p / n).toFixed(3)}`);
} finally {
  for (const s of sides) await s.close().catch(() => {});
  rmSync(baselineRoot, { recursive: true, force: true });
}
