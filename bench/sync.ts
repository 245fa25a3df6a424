/**
 * Sync benchmarks on the local PostgreSQL with the large generated organisation (≈5,000
 * members, ≈19,000 households) and 10,000 → 200,000 → 1,000,000 visits. Prints medians; not a test.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/sync.ts
 *
 * BENCH_SMALL=1 is a quick dry run. What a server sustains under many devices is bench/load.ts's
 * (the server in its own process; a load generator sharing the server's process and cores, as
 * this file once had, cannot say).
 */
import { buildApp } from '../server/src/app.ts';
import { LARGE_SIZE, generateOrg, type GeneratedOrg } from '../server/src/demo/generate-org.ts';
import { loadOrg } from '../server/src/demo/load-org.ts';
import { hashToken, newSessionToken } from '../server/src/services/password.ts';
import { HlcClock } from '../shared/src/sync/hlc.ts';
import { SCHEMA_VERSION } from '../shared/src/sync/mutators.ts';
import type { PullReply, PushReply } from '../shared/src/sync/protocol.ts';
import { uuidv7 } from '../shared/src/uuid.ts';
import { addVisits, freshPostgres, median, ms, quantile, time } from './lib.ts';

const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (!url) throw new Error('set BENCH_DATABASE_URL to a PostgreSQL (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
const SMALL = process.env.BENCH_SMALL === '1';
const TARGETS = SMALL ? [2_000, 20_000, 50_000] : [10_000, 200_000, 1_000_000];

class SessionMaker {
  constructor(readonly org: GeneratedOrg) {}
  /** A session straight into the table: 500 scrypt logins would only measure scrypt. */
  async token(userId: string, clientId: string | null = null): Promise<string> {
    const { token } = newSessionToken();
    await db.insertInto('sessions').values({ token_hash: hashToken(token), user_id: userId, client_id: clientId, expires_at: new Date(Date.now() + 86_400_000) }).execute();
    return token;
  }
}

const bench = await freshPostgres(url, 'sync');
const db = bench.opened.db;
try {
  const org = generateOrg(LARGE_SIZE, 1, '139');
  const [, loadMs] = await time(() => loadOrg(db, org));
  console.log(`setup: ${org.members.length} members, ${org.households.length} households loaded in ${ms(loadMs)}`);
  const app = await buildApp({ db: bench.opened, config: { pullPageSize: 1000 } });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const sessions = new SessionMaker(org);

  let visits = 0;
  const grow = async (to: number) => {
    const [, took] = await time(() => addVisits(db, to - visits));
    visits = to;
    console.log(`\nvisits in the database: ${visits.toLocaleString()} (added in ${(took / 1000).toFixed(1)} s)`);
  };

  // 1. A member's pull at 10,000 visits.
  await grow(TARGETS[0]!);
  const small = await memberPullLatency(base, sessions, org);

  // 2. 200,000 visits: first full pulls, push throughput.
  await grow(TARGETS[1]!);
  await fullPulls(base, sessions, org);
  await pushThroughput(base, sessions, org);

  // 3. 1,000,000 visits: the member's pull again.
  await grow(TARGETS[2]!);
  const large = await memberPullLatency(base, sessions, org);
  console.log(`\nmember pull, ${TARGETS[2]!.toLocaleString()} vs ${TARGETS[0]!.toLocaleString()} visits: nothing new ×${(large.idle / small.idle).toFixed(2)}, one new visit ×${(large.one / small.one).toFixed(2)}`);
  await app.close();
} finally {
  await bench.drop();
}

async function post<T = PullReply & PushReply>(base: string, path: string, token: string, body: unknown): Promise<{ status: number; json: T; bytes: number }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, bytes: text.length };
}

/** Pulls until done; returns pages, rows and bytes. */
async function pullAll(base: string, token: string, clientId: string, cursor: string | null) {
  let pages = 0;
  let rows = 0;
  let bytes = 0;
  for (;;) {
    const r = await post(base, '/api/sync/pull', token, { clientId, cursor });
    if (r.status !== 200) throw new Error(`pull ${r.status} ${JSON.stringify(r.json)}`);
    pages++;
    rows += r.json.patch.length;
    bytes += r.bytes;
    cursor = r.json.cursor;
    if (!r.json.more) return { cursor: cursor!, pages, rows, bytes };
  }
}

function visitMutation(id: number, householdId: string, clock: HlcClock) {
  return {
    id, name: 'visit.create', hlc: clock.tick(),
    args: { id: uuidv7(), householdId, visitedAt: new Date().toISOString(), method: 'in_person', duty: 'concerns', summary: '入户走访，了解近况', followUp: false },
  };
}

async function memberPullLatency(base: string, s: SessionMaker, org: GeneratedOrg) {
  const member = org.members[Math.floor(org.members.length / 2)]!;
  const hh = org.households.filter((h) => h.memberId === member.id);
  const reader = { clientId: `bench-reader-${uuidv7()}`, token: await s.token(member.userId) };
  const writer = { clientId: `bench-writer-${uuidv7()}`, token: await s.token(member.userId), next: 1, clock: new HlcClock('w') };
  let { cursor } = await pullAll(base, reader.token, reader.clientId, null);
  const idle: number[] = [];
  for (let i = 0; i < 50; i++) {
    const [r, t] = await time(() => pullAll(base, reader.token, reader.clientId, cursor));
    cursor = r.cursor;
    idle.push(t);
  }
  const one: number[] = [];
  for (let i = 0; i < 30; i++) {
    await post(base, '/api/sync/push', writer.token, { clientId: writer.clientId, schemaVersion: SCHEMA_VERSION, mutations: [visitMutation(writer.next++, hh[0]!.id, writer.clock)] });
    const [r, t] = await time(() => pullAll(base, reader.token, reader.clientId, cursor));
    if (r.rows !== 1) throw new Error(`expected one row, got ${r.rows}`);
    cursor = r.cursor;
    one.push(t);
  }
  console.log(`member pull (${hh.length} households): nothing new median ${ms(median(idle))} (p95 ${ms(quantile(idle, 0.95))}); after one new visit median ${ms(median(one))} (p95 ${ms(quantile(one, 0.95))})`);
  return { idle: median(idle), one: median(one) };
}

async function fullPulls(base: string, s: SessionMaker, org: GeneratedOrg) {
  for (const kind of ['town', 'district'] as const) {
    const unit = org.units.find((u) => u.kind === kind)!;
    const grant = org.grants.find((g) => g.unitId === unit.id && g.role === 'supervisor')!;
    const token = await s.token(grant.userId);
    const runs: number[] = [];
    let last = { pages: 0, rows: 0, bytes: 0, cursor: '' };
    for (let i = 0; i < (kind === 'district' ? 1 : 3); i++) {
      const [r, t] = await time(() => pullAll(base, token, `bench-${kind}-${uuidv7()}`, null));
      runs.push(t);
      last = r;
    }
    const hh = (await db.selectFrom('households').innerJoin('units', 'units.id', 'households.unit_id').select(db.fn.countAll().as('n')).where('units.path', 'like', `%/${unit.id}/%`).executeTakeFirstOrThrow()).n;
    console.log(`first full pull, ${kind} supervisor (${unit.name}, ${Number(hh).toLocaleString()} households): median ${(median(runs) / 1000).toFixed(2)} s over ${runs.length} run(s), ${last.pages} pages, ${last.rows.toLocaleString()} rows, ${(last.bytes / 1e6).toFixed(1)} MB (${((last.rows / median(runs)) * 1000).toFixed(0)} rows/s)`);
  }
}

async function pushThroughput(base: string, s: SessionMaker, org: GeneratedOrg) {
  const members = org.members.slice(0, 40);
  const clients = await Promise.all(
    members.map(async (m) => ({ m, hh: org.households.filter((h) => h.memberId === m.id).map((h) => h.id), clientId: `bench-push-${uuidv7()}`, token: await s.token(m.userId), next: 1, clock: new HlcClock(uuidv7()) })),
  );
  const BATCHES = SMALL ? 2 : 5;
  const inFlight = 8;
  const runQueue = async (jobs: (() => Promise<void>)[]) => {
    let i = 0;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (i < jobs.length) await jobs[i++]!();
    }));
  };
  const pushRates: number[] = [];
  const insertRates: number[] = [];
  for (let round = 0; round < 5; round++) {
    // Each client's batches in order (its ids count up); clients interleave.
    const perClient = clients.map((c) => async () => {
      for (let b = 0; b < BATCHES; b++) {
        const mutations = Array.from({ length: 50 }, (_, k) => visitMutation(c.next++, c.hh[k % c.hh.length]!, c.clock));
        const r = await post(base, '/api/sync/push', c.token, { clientId: c.clientId, schemaVersion: SCHEMA_VERSION, mutations });
        if (r.status !== 200 || r.json.results.some((x) => x.status !== 'applied')) throw new Error(`push failed ${r.status}`);
      }
    });
    const [, pushMs] = await time(() => runQueue(perClient));
    pushRates.push((clients.length * BATCHES * 50) / (pushMs / 1000));

    // Baseline, same run: the same kind of rows, plain 50-row INSERTs into visits, same concurrency.
    const inserts = clients.map((c) => async () => {
      for (let b = 0; b < BATCHES; b++) {
        const rows = Array.from({ length: 50 }, (_, k) => {
          const m = visitMutation(0, c.hh[k % c.hh.length]!, c.clock);
          const h = org.households.find((x) => x.id === m.args.householdId)!;
          return { id: m.args.id, household_id: h.id, member_id: c.m.id, space_id: h.spaceId!, visited_at: m.args.visitedAt, method: 'in_person' as const, duty: 'concerns' as const, summary: m.args.summary, concerns: '', concern_categories: '[]', follow_up: false, late: false, hlc: m.hlc, created_at: new Date() };
        });
        await db.insertInto('visits').values(rows).execute();
      }
    });
    const [, insertMs] = await time(() => runQueue(inserts));
    insertRates.push((clients.length * BATCHES * 50) / (insertMs / 1000));
  }
  const p = median(pushRates);
  const b = median(insertRates);
  console.log(`push throughput (${clients.length} clients, batches of 50 visits, ${inFlight} in flight, 5 rounds): median ${p.toFixed(0)} mutations/s; baseline plain batched INSERT ${b.toFixed(0)} rows/s; ratio ${(p / b).toFixed(2)}`);
}
