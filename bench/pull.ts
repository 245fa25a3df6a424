/**
 * The routine pull and the size of a first pull, this tree against a baseline commit, in one run
 * (issue 14). Prints figures, medians and ratios; not a test.
 *
 *   npx tsx bench/pull.ts                                                          # PGlite
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/pull.ts   # …and PostgreSQL
 *
 * BENCH_BASELINE_REF (default 4bc8765, main before issue 14's pull work) has its server/ unpacked
 * with `git archive` into a temporary folder and loaded beside this tree's, in the same process
 * (shared/ is this tree's: the bench says so if it differs from the baseline's). Each side gets
 * its own database, migrated by its own migrations, holding the same organisation (the large one,
 * ≈19,000 households; BENCH_QUICK=1: the demo one) and up to 10,000 visits. The two sides are pulled
 * alternately, so a busy machine slows both alike. Statements are counted at the database
 * (Kysely's log sees transaction control too); times are `inject` round trips in process.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import { Kysely, PostgresDialect, sql, type LogEvent } from 'kysely';
import pg from 'pg';
import type { Database } from '../server/src/db/database.ts';
import '../server/src/db/open.ts'; // pg's type parsers (bigint as number), as the server sets them
import { DEMO_SIZE, LARGE_SIZE, generateOrg, type GeneratedOrg } from '../server/src/demo/generate-org.ts';
import { DEMO_PASSWORD } from '../server/src/demo/load-org.ts';
import { addVisits, median, ms, quantile } from './lib.ts';
import { HlcClock } from '../shared/src/sync/hlc.ts';
import { SCHEMA_VERSION } from '../shared/src/sync/mutators.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const VISITS = 10_000;

interface Side {
  label: string;
  app: FastifyInstance;
  count: { statements: number; writes: number };
  visits: number;
  close(): Promise<void>;
}

const baselineRef = process.env.BENCH_BASELINE_REF ?? '4bc8765';
const QUICK = process.env.BENCH_QUICK === '1';
/** One tree's server on a database of its own, loaded with `org` and 10,000 visits, counting statements. */
async function side(root: string, label: string, kind: 'pglite' | 'postgres', org: GeneratedOrg): Promise<Side> {
  const imp = (p: string) => import(join(root, p));
  const { buildApp } = await imp('server/src/app.ts');
  const { migrateToLatest } = await imp('server/src/db/migrate.ts');
  const { pglitePool } = await imp('server/src/db/pglite-pool.ts');
  const { loadOrg } = await imp('server/src/demo/load-org.ts');
  const count = { statements: 0, writes: 0 };
  const log = (e: LogEvent) => {
    if (e.level !== 'query') return;
    count.statements += 1;
    if (/^\s*(insert|update|delete)/i.test(e.query.sql)) count.writes += 1;
  };
  let opened: { db: Kysely<Database>; kind: string; pglite?: PGlite; url?: string; close(): Promise<void> };
  let drop = async () => {};
  if (kind === 'pglite') {
    const pglite = await PGlite.create({ parsers: { 20: (v: string) => Number(v) } });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }), log });
    opened = { db, kind, pglite, close: () => db.destroy() };
  } else {
    // A database of its own, migrated by the tree measured (bench/lib's freshPostgres would
    // run this tree's migrations on the baseline's database).
    const admin = process.env.BENCH_DATABASE_URL!;
    const name = `lianxin_bench_pull_${root === repo ? 'now' : 'base'}_${process.pid}`;
    const run = async (q: string) => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(q);
      await c.end();
    };
    await run(`drop database if exists ${name} with (force)`);
    await run(`create database ${name}`);
    const u = new URL(admin);
    u.pathname = `/${name}`;
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: u.toString(), max: 10 }) }), log });
    opened = { db, kind, url: u.toString(), close: () => db.destroy() };
    drop = () => run(`drop database if exists ${name} with (force)`);
  }
  await migrateToLatest(opened.db);
  await loadOrg(opened.db, org);
  await addVisits(opened.db, VISITS);
  await sql`analyze`.execute(opened.db);
  const app: FastifyInstance = await buildApp({ db: opened, config: { pullPageSize: 1000 } });
  const visits = Number((await sql<{ n: number }>`select count(*)::int as n from visits`.execute(opened.db)).rows[0]!.n);
  return {
    label, app, count, visits,
    async close() {
      await app.close();
      await opened.close();
      await drop();
    },
  };
}

const telemetry = () => ({ appVersion: '0.3.0', outboxLength: 0, oldestPendingAt: null, storageUsed: 812_000, storageQuota: 40_000_000, storagePersisted: true, lastError: null, deviceTime: new Date().toISOString() });

/** A device on one side: logs in, pulls pages as a phone does (with its telemetry). */
class Device {
  cursor: string | null = null;
  readonly clientId = `bench-${randomUUID()}`;
  auth: Record<string, string> = {};
  constructor(readonly s: Side, readonly phone: string) {}
  async login() {
    const res = await this.s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone: this.phone, password: DEMO_PASSWORD, clientId: this.clientId } });
    this.auth = { authorization: `Bearer ${res.json().token}` };
  }
  page(encoding?: string) {
    return this.s.app.inject({ method: 'POST', url: '/api/sync/pull', headers: { ...this.auth, ...(encoding ? { 'accept-encoding': encoding } : {}) }, payload: { clientId: this.clientId, cursor: this.cursor, telemetry: telemetry() } });
  }
  async pullAll() {
    for (;;) {
      const reply: { cursor: string; more: boolean } = (await this.page()).json();
      this.cursor = reply.cursor;
      if (!reply.more) return;
    }
  }
}

async function compare(kind: string, org: GeneratedOrg, base: Side, now: Side) {
  const phoneOf = (userId: string) => org.users.find((u) => u.id === userId)!.phone;
  const member = org.members.find((m) => org.households.some((h) => h.memberId === m.id))!;
  const town = org.units.find((u) => u.kind === 'town')!;
  const townSupervisor = org.grants.find((g) => g.unitId === town.id && g.role === 'supervisor')!;
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;

  // 1. A member's first pull: raw, as a phone asks for it (gzip, deflate, br), and gzip alone —
  // after the member logged a year of weekly visits to their households (the same on both sides).
  const households = org.households.filter((h) => h.memberId === member.id);
  const visits = Array.from({ length: 52 * households.length }, (_, i) => ({
    id: randomUUID(), householdId: households[i % households.length]!.id, visitedAt: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(),
    method: 'in_person', duty: 'concerns', followUp: i % 5 === 0,
    summary: `第${i + 1}次走访：了解老人身体情况和生活困难，反映村道路灯损坏、雨季排水不畅，已登记并告知处理进度。`,
  }));
  for (const s of [base, now]) {
    const author = new Device(s, phoneOf(member.userId));
    await author.login();
    const clock = new HlcClock(author.clientId, () => Date.now());
    for (let i = 0; i < visits.length; i += 50) {
      const mutations = visits.slice(i, i + 50).map((args, j) => ({ id: i + j + 1, name: 'visit.create', args, hlc: clock.tick() }));
      const res = await s.app.inject({ method: 'POST', url: '/api/sync/push', headers: author.auth, payload: { clientId: author.clientId, schemaVersion: SCHEMA_VERSION, mutations } });
      if (res.statusCode !== 200 || res.json().results.some((r: { status: string }) => r.status !== 'applied')) throw new Error(`push ${res.statusCode} ${res.body.slice(0, 300)}`);
    }
  }
  console.log(`\n== ${kind}: ${org.households.length.toLocaleString()} households, ${now.visits.toLocaleString()} visits (+${visits.length} of the member's); ${base.label} vs now, ${RUNS} pulls each, alternating ==`);
  for (const s of [base, now]) {
    const d = new Device(s, phoneOf(member.userId));
    await d.login();
    let raw = 0, wire = 0, gz = 0, pages = 0;
    const encodings = new Set<string>();
    for (;;) {
      const plain = await d.page();
      const asked = await d.page('gzip, deflate, br');
      raw += plain.rawPayload.length;
      gz += gzipSync(plain.rawPayload).length;
      wire += asked.rawPayload.length;
      encodings.add(String(asked.headers['content-encoding'] ?? 'identity'));
      pages += 1;
      const reply: { cursor: string; more: boolean } = plain.json();
      d.cursor = reply.cursor;
      if (!reply.more) break;
    }
    console.log(`member's first pull, ${s.label}: raw ${kb(raw)}, on the wire ${kb(wire)} (${[...encodings].join(', ')}), gzip alone ${kb(gz)}, ${pages} page(s); wire ÷ raw ${(wire / raw).toFixed(3)}`);
  }

  // 2. The routine pull: nothing new, the same telemetry; both sides alternately.
  for (const [who, phone] of [['member', phoneOf(member.userId)], ['town supervisor', phoneOf(townSupervisor.userId)]] as const) {
    const devices = [new Device(base, phone), new Device(now, phone)];
    for (const d of devices) {
      await d.login();
      await d.pullAll();
      await d.pullAll(); // the position reached is recorded
    }
    const figures = devices.map(() => ({ ms: [] as number[], statements: [] as number[], writes: [] as number[] }));
    for (let i = 0; i < RUNS; i++) {
      for (const j of i % 2 ? [1, 0] : [0, 1]) {
        const d = devices[j]!;
        d.s.count.statements = 0;
        d.s.count.writes = 0;
        const t0 = performance.now();
        const res = await d.page();
        figures[j]!.ms.push(performance.now() - t0);
        figures[j]!.statements.push(d.s.count.statements);
        figures[j]!.writes.push(d.s.count.writes);
        if (res.json().patch.length) throw new Error('a routine pull found something new');
      }
    }
    const [b, n] = figures.map((f) => ({ statements: median(f.statements), writes: median(f.writes), ms: median(f.ms), p95: quantile(f.ms, 0.95) }));
    console.log(
      `routine pull, nothing new (${who}): ${base.label} ${b!.statements} statements (${b!.writes} writes), median ${ms(b!.ms)} (p95 ${ms(b!.p95)}); ` +
        `now ${n!.statements} statements (${n!.writes} writes), median ${ms(n!.ms)} (p95 ${ms(n!.p95)}); ` +
        `statements ×${(n!.statements / b!.statements).toFixed(2)}, time ×${(n!.ms / b!.ms).toFixed(2)}`,
    );
  }
}

// Last, so that the classes above are defined when it runs.
const baselineRoot = mkdtempSync(join(tmpdir(), 'lianxin-bench-baseline-'));
try {
  execFileSync('tar', ['-x', '-C', baselineRoot], { input: execFileSync('git', ['-C', repo, 'archive', baselineRef, 'server']) });
  symlinkSync(join(repo, 'node_modules'), join(baselineRoot, 'node_modules'));
  const sharedDiff = execFileSync('git', ['-C', repo, 'diff', '--stat', baselineRef, '--', 'shared']).toString().trim();
  if (sharedDiff) console.log(`note: shared/ differs from ${baselineRef}; the baseline runs with this tree's shared/:\n${sharedDiff}`);
  const org = generateOrg(QUICK ? DEMO_SIZE : LARGE_SIZE, 1);
  const kinds: ('pglite' | 'postgres')[] = process.env.BENCH_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  for (const kind of kinds) {
    const base = await side(baselineRoot, `baseline ${baselineRef}`, kind, org);
    const now = await side(repo, 'now', kind, org);
    try {
      await compare(kind, org, base, now);
    } finally {
      await base.close();
      await now.close();
    }
  }
} finally {
  rmSync(baselineRoot, { recursive: true, force: true });
}
