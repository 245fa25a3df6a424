/**
 * PGlite under a burst: N phones push at once (one visit each) against an in-memory PGlite with
 * the demo organisation, with no bound and with LIANXIN_DB_QUEUE_LIMIT-style bounds. Prints how
 * long answers took and how many were told 503 SERVER_BUSY. Not a test.
 *
 *   npx tsx bench/pglite-busy.ts            # BENCH_CLIENTS (200), BENCH_LIMITS (0,16,32,64)
 */
import { buildApp } from '../server/src/app.ts';
import { openDb } from '../server/src/db/open.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { DEMO_SIZE, generateOrg } from '../server/src/demo/generate-org.ts';
import { loadOrg } from '../server/src/demo/load-org.ts';
import { hashToken, newSessionToken } from '../server/src/services/password.ts';
import { HlcClock } from '../shared/src/sync/hlc.ts';
import { SCHEMA_VERSION } from '../shared/src/sync/mutators.ts';
import { uuidv7 } from '../shared/src/uuid.ts';
import { ms, quantile } from './lib.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const LIMITS = (process.env.BENCH_LIMITS ?? '0,16,32,64').split(',').map(Number);

for (const limit of LIMITS) {
  const opened = await openDb({ kind: 'pglite' });
  await migrateToLatest(opened.db);
  const org = generateOrg(DEMO_SIZE, 1);
  await loadOrg(opened.db, org);
  const app = await buildApp({ db: opened, config: { dbQueueLimit: limit || null } });
  const members = org.members.filter((m) => org.households.some((h) => h.memberId === m.id));
  const devices = await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      const member = members[i % members.length]!;
      const { token } = newSessionToken();
      await opened.db.insertInto('sessions').values({ token_hash: hashToken(token), user_id: member.userId, client_id: null, expires_at: new Date(Date.now() + 86_400_000) }).execute();
      const household = org.households.find((h) => h.memberId === member.id)!;
      const clientId = `bench-${uuidv7()}`;
      const hlc = new HlcClock(clientId, () => Date.now()).tick();
      const payload = {
        clientId,
        schemaVersion: SCHEMA_VERSION,
        mutations: [{ id: 1, name: 'visit.create', hlc, args: { id: uuidv7(), householdId: household.id, visitedAt: new Date().toISOString(), method: 'in_person', duty: 'concerns', summary: '压力测试走访', followUp: false } }],
      };
      return { headers: { authorization: `Bearer ${token}` }, payload };
    }),
  );
  const started = performance.now();
  const answers = await Promise.all(
    devices.map(async (d) => {
      const res = await app.inject({ method: 'POST', url: '/api/sync/push', headers: d.headers, payload: d.payload });
      return { status: res.statusCode, ms: performance.now() - started };
    }),
  );
  const ok = answers.filter((a) => a.status === 200).map((a) => a.ms);
  const busy = answers.filter((a) => a.status === 503).map((a) => a.ms);
  const other = answers.length - ok.length - busy.length;
  const fmt = (xs: number[]) => (xs.length ? `p50 ${ms(quantile(xs, 0.5))}, p95 ${ms(quantile(xs, 0.95))}, max ${ms(Math.max(...xs))}` : '—');
  console.log(`${CLIENTS} pushes at once, bound ${limit || 'none'}: ${ok.length} applied (${fmt(ok)}); ${busy.length} told 503 (${fmt(busy)})${other ? `; ${other} other` : ''}`);
  await app.close();
  await opened.close();
}
