/**
 * Response times of the supervisors' reports for a town supervisor on the large organisation
 * (≈5,000 members, ≈19,000 households, 200,000 visits, a device per member with a mutation
 * log, 2,000 disputes) on the local PostgreSQL. Prints median and p95; not a test.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/reports.ts
 */
import { sql } from 'kysely';
import { buildApp } from '../server/src/app.ts';
import { LARGE_SIZE, generateOrg } from '../server/src/demo/generate-org.ts';
import { loadOrg } from '../server/src/demo/load-org.ts';
import { hashToken, newSessionToken } from '../server/src/services/password.ts';
import { addVisits, freshPostgres, median, ms, quantile, time } from './lib.ts';

const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (!url) throw new Error('set BENCH_DATABASE_URL to a PostgreSQL (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
const VISITS = Number(process.env.BENCH_VISITS ?? 200_000);

const bench = await freshPostgres(url, 'reports');
const db = bench.opened.db;
try {
  const org = generateOrg(LARGE_SIZE, 1, '139');
  await loadOrg(db, org);
  await addVisits(db, VISITS);
  // A device per member, a week of mutation log (10 per device), 2,000 disputes in the branches.
  await sql`insert into sync_clients (client_id, user_id, last_mutation_id, app_version, last_push_at, last_pull_at, outbox_length)
    select 'dev-' || m.id, m.user_id, 10, '0.2.0', now() - random() * interval '6 days', now() - random() * interval '6 days', (random() * 3)::int
    from members m`.execute(db);
  await sql`insert into mutation_log (client_id, user_id, mutation_id, name, args, schema_version, hlc, server_time, status, code)
    select 'dev-' || m.id, m.user_id, g, 'visit.create', '{}'::jsonb, 2, 'x', now() - random() * interval '7 days',
           case when g = 10 then 'rejected' else 'applied' end, case when g = 10 then 'OUT_OF_SCOPE' end
    from members m cross join generate_series(1, 10) g`.execute(db);
  await sql`insert into disputes (id, space_id, branch_unit_id, unit_id, household_ids, category, description, status, status_by, opened_at, opened_by, hlc, updated_at)
    select gen_random_uuid(), h.space_id, h.unit_id, h.unit_id, array[h.id], 'neighbour', '邻里纠纷', (array['open','mediating','resolved','escalated','closed'])[1 + (random() * 4)::int],
           m.user_id, now() - random() * interval '60 days', m.user_id, 'x', now() - random() * interval '30 days'
    from households h join members m on m.id = h.member_id order by random() limit 2000`.execute(db);
  await sql`analyze`.execute(db);

  const app = await buildApp({ db: bench.opened });
  const town = org.units.find((u) => u.kind === 'town')!;
  const grant = org.grants.find((g) => g.unitId === town.id && g.role === 'supervisor')!;
  const { token } = newSessionToken();
  await db.insertInto('sessions').values({ token_hash: hashToken(token), user_id: grant.userId, client_id: null, expires_at: new Date(Date.now() + 86_400_000) }).execute();
  const headers = { authorization: `Bearer ${token}` };
  console.log(`town supervisor of ${town.name}; database: ${org.members.length} members, ${org.households.length} households, ${VISITS.toLocaleString()} visits`);
  for (const [label, path] of [['sync report', '/api/reports/sync'], ['coverage (30 days)', '/api/reports/coverage?days=30'], ['dispute board', '/api/reports/disputes'], ['sync report XLSX', '/api/reports/sync.xlsx']] as const) {
    const runs: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 30; i++) {
      const [res, t] = await time(() => app.inject({ url: path, headers }));
      if (res.statusCode !== 200) throw new Error(`${path} ${res.statusCode} ${res.body}`);
      bytes = res.rawPayload.length;
      if (i >= 3) runs.push(t); // the first calls warm the caches
    }
    console.log(`${label.padEnd(20)} median ${ms(median(runs))}, p95 ${ms(quantile(runs, 0.95))} (${runs.length} runs, ${(bytes / 1024).toFixed(0)} KB)`);
  }
  await app.close();
} finally {
  await bench.drop();
}
