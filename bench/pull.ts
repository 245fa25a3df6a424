/**
 * The routine pull and the size of a first pull, now against a baseline commit, in one run
 * (issue 14). Prints figures, medians and ratios; not a test.
 *
 *   npx tsx bench/pull.ts                                                          # PGlite
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/pull.ts   # …and PostgreSQL
 *
 * BENCH_BASELINE_REF (default 2774b18, main before issue 14's pull work) is unpacked with
 * `git archive` into a temporary folder and measured by the same code in a child process, then
 * this tree is; each child builds its own database with the large organisation (≈19,000
 * households; BENCH_QUICK=1: the demo one) and 10,000 visits. Statements are counted at the
 * database (Kysely's log sees transaction control too); times are `inject` round trips in process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Kysely as KyselyDb } from 'kysely';
import type { Database } from '../server/src/db/database.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 300);

interface Figures {
  root: string;
  kind: string;
  households: number;
  visits: number;
  routine: { who: string; statements: number; writes: number; medianMs: number; p95Ms: number }[];
  firstPull: { rawBytes: number; wireBytes: number; gzipBytes: number; encoding: string; pages: number };
}

if (process.argv[2] === '--measure') {
  const figures = await measure(process.argv[3]!, process.argv[4] as 'pglite' | 'postgres');
  process.stdout.write(`@@${JSON.stringify(figures)}\n`);
  process.exit(0);
}

const baselineRef = process.env.BENCH_BASELINE_REF ?? '2774b18';
const baselineRoot = mkdtempSync(join(tmpdir(), 'lianxin-bench-baseline-'));
try {
  const tar = execFileSync('git', ['-C', repo, 'archive', baselineRef, 'server', 'shared', 'tsconfig.json', 'package.json']);
  execFileSync('tar', ['-x', '-C', baselineRoot], { input: tar });
  symlinkSync(join(repo, 'node_modules'), join(baselineRoot, 'node_modules'));
  const kinds = process.env.BENCH_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  for (const kind of kinds) {
    const base = child(baselineRoot, kind);
    const now = child(repo, kind);
    report(kind, base, now);
  }
} finally {
  rmSync(baselineRoot, { recursive: true, force: true });
}

function child(root: string, kind: string): Figures {
  const out = spawnSync(join(repo, 'node_modules/.bin/tsx'), [fileURLToPath(import.meta.url), '--measure', root, kind], {
    cwd: root, // tsx reads that tree's tsconfig (its @shared alias)
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = out.stdout.split('\n').find((l) => l.startsWith('@@'));
  if (out.status !== 0 || !line) throw new Error(`measuring ${root} on ${kind} failed (${out.status}): ${out.stdout.slice(-2000)}`);
  return JSON.parse(line.slice(2)) as Figures;
}

function report(kind: string, base: Figures, now: Figures) {
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
  console.log(`\n== ${kind}: ${now.households.toLocaleString()} households, ${now.visits.toLocaleString()} visits; baseline ${baselineRef} vs this tree, ${RUNS} pulls each ==`);
  for (const r of now.routine) {
    const b = base.routine.find((x) => x.who === r.who)!;
    console.log(
      `routine pull, nothing new (${r.who}): baseline ${b.statements} statements (${b.writes} writes), median ${b.medianMs.toFixed(2)} ms (p95 ${b.p95Ms.toFixed(2)}); ` +
        `now ${r.statements} statements (${r.writes} writes), median ${r.medianMs.toFixed(2)} ms (p95 ${r.p95Ms.toFixed(2)}); ` +
        `statements ×${(r.statements / b.statements).toFixed(2)}, time ×${(r.medianMs / b.medianMs).toFixed(2)}`,
    );
  }
  const f = now.firstPull;
  console.log(
    `member's first pull: baseline ${kb(base.firstPull.wireBytes)} on the wire (${base.firstPull.encoding}); ` +
      `now raw ${kb(f.rawBytes)}, on the wire ${kb(f.wireBytes)} (${f.encoding}, ${f.pages} page(s)), gzip alone ${kb(f.gzipBytes)}; wire ×${(f.wireBytes / base.firstPull.wireBytes).toFixed(3)}`,
  );
}

/** Runs in the child: one tree (`root`), one database kind; returns the figures. */
async function measure(root: string, kind: 'pglite' | 'postgres'): Promise<Figures> {
  const imp = (p: string) => import(join(root, p));
  const { Kysely, PostgresDialect, sql } = await import('kysely');
  const { buildApp } = await imp('server/src/app.ts');
  const { migrateToLatest } = await imp('server/src/db/migrate.ts');
  const { pglitePool } = await imp('server/src/db/pglite-pool.ts');
  await imp('server/src/db/open.ts'); // its pg type parsers
  const { DEMO_SIZE, LARGE_SIZE, generateOrg } = await imp('server/src/demo/generate-org.ts');
  const { loadOrg, DEMO_PASSWORD } = await imp('server/src/demo/load-org.ts');
  const { addVisits, median, quantile } = await import('./lib.ts');

  let count: { statements: number; writes: number } | null = null;
  const log = (e: { level: string; query: { sql: string } }) => {
    if (!count || e.level !== 'query') return;
    count.statements += 1;
    if (/^\s*(insert|update|delete)/i.test(e.query.sql)) count.writes += 1;
  };
  let opened: { db: KyselyDb<Database>; kind: string; pglite?: unknown; url?: string; close(): Promise<void> };
  let drop = async () => {};
  if (kind === 'pglite') {
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = await PGlite.create({ parsers: { 20: (v: string) => Number(v) } });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }), log });
    opened = { db, kind, pglite, close: () => db.destroy() };
  } else {
    // A database of its own, migrated by the tree measured (not by bench/lib's freshPostgres,
    // which would run this tree's migrations on the baseline's database).
    const pg = (await import('pg')).default;
    const admin = process.env.BENCH_DATABASE_URL!;
    const name = `lianxin_bench_pull_${process.pid}`;
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
    const pool = new pg.Pool({ connectionString: u.toString(), max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
    opened = { db, kind, url: u.toString(), close: () => db.destroy() };
    drop = () => run(`drop database if exists ${name} with (force)`);
  }
  try {
    await migrateToLatest(opened.db);
    const org = generateOrg(process.env.BENCH_QUICK === '1' ? DEMO_SIZE : LARGE_SIZE, 1);
    await loadOrg(opened.db, org);
    const visits = 10_000;
    await addVisits(opened.db, visits);
    await sql`analyze`.execute(opened.db);
    const app = await buildApp({ db: opened, config: { pullPageSize: 1000 } });
    const phoneOf = (userId: string) => org.users.find((u: { id: string }) => u.id === userId).phone as string;
    const login = async (phone: string, clientId: string) => {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password: DEMO_PASSWORD, clientId } });
      return { authorization: `Bearer ${res.json().token}` };
    };
    const telemetry = () => ({ appVersion: '0.3.0', outboxLength: 0, oldestPendingAt: null, storageUsed: 812_000, storageQuota: 40_000_000, storagePersisted: true, lastError: null, deviceTime: new Date().toISOString() });
    const pullPage = (headers: Record<string, string>, clientId: string, cursor: string | null, encoding?: string) =>
      app.inject({ method: 'POST', url: '/api/sync/pull', headers: { ...headers, ...(encoding ? { 'accept-encoding': encoding } : {}) }, payload: { clientId, cursor, telemetry: telemetry() } });

    const member = org.members.find((m: { id: string }) => org.households.some((h: { memberId: string | null }) => h.memberId === m.id));
    const town = org.units.find((u: { kind: string }) => u.kind === 'town');
    const townGrant = org.grants.find((g: { unitId: string; role: string }) => g.unitId === town.id && g.role === 'supervisor');
    const who = [
      { who: 'member', phone: phoneOf(member.userId) },
      { who: 'town supervisor', phone: phoneOf(townGrant.userId) },
    ];

    // The member's first pull, as a phone asks for it (gzip, br) and uncompressed.
    const firstPull = { rawBytes: 0, wireBytes: 0, gzipBytes: 0, encoding: 'identity', pages: 0 };
    {
      const clientId = `bench-first-${Date.now()}`;
      const headers = await login(who[0]!.phone, clientId);
      let cursor: string | null = null;
      for (;;) {
        const plain = await pullPage(headers, clientId, cursor);
        const wire = await pullPage(headers, clientId, cursor, 'gzip, deflate, br');
        firstPull.rawBytes += plain.rawPayload.length;
        firstPull.gzipBytes += gzipSync(plain.rawPayload).length;
        firstPull.wireBytes += wire.rawPayload.length;
        firstPull.encoding = String(wire.headers['content-encoding'] ?? 'identity');
        firstPull.pages += 1;
        const reply: { cursor: string; more: boolean } = plain.json();
        cursor = reply.cursor;
        if (!reply.more) break;
      }
    }

    const routine: Figures['routine'] = [];
    for (const w of who) {
      const clientId = `bench-${w.who.replace(' ', '-')}-${Date.now()}`;
      const headers = await login(w.phone, clientId);
      let cursor: string | null = null;
      for (let i = 0; i < 2; i++) {
        for (;;) {
          const reply: { cursor: string; more: boolean } = (await pullPage(headers, clientId, cursor)).json();
          cursor = reply.cursor;
          if (!reply.more) break;
        }
      }
      const times: number[] = [];
      const statements: number[] = [];
      const writes: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        count = { statements: 0, writes: 0 };
        const t0 = performance.now();
        const res = await pullPage(headers, clientId, cursor);
        times.push(performance.now() - t0);
        statements.push(count.statements);
        writes.push(count.writes);
        count = null;
        if (res.json().patch.length) throw new Error('a routine pull found something new');
      }
      routine.push({ who: w.who, statements: median(statements), writes: median(writes), medianMs: median(times), p95Ms: quantile(times, 0.95) });
    }
    await app.close();
    return { root, kind, households: org.households.length, visits, routine, firstPull };
  } finally {
    await opened.close();
    await drop();
  }
}
