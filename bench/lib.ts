import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../server/src/db/database.ts';
import { openDb, type OpenedDb } from '../server/src/db/open.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';

export const median = (xs: number[]) => quantile(xs, 0.5);
export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
export const ms = (x: number) => `${x.toFixed(1)} ms`;
export async function time<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const out = await f();
  return [out, performance.now() - t];
}

/** A fresh, migrated PostgreSQL database for one benchmark run; `drop` removes it. */
export async function freshPostgres(url: string, label: string, poolSize = 20): Promise<{ opened: OpenedDb; url: string; drop(): Promise<void> }> {
  const name = `lianxin_bench_${label}_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const opened = await openDb({ kind: 'postgres', url: u.toString(), poolSize });
  await migrateToLatest(opened.db);
  return {
    opened,
    url: u.toString(),
    async drop() {
      await opened.close().catch(() => {});
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Bulk visits (and their change-log entries, stamped as a push would) spread over all households. */
export async function addVisits(db: Kysely<Database>, n: number): Promise<void> {
  const chunk = 100_000;
  for (let done = 0; done < n; done += chunk) {
    const k = Math.min(chunk, n - done);
    await db.transaction().execute(async (trx) => {
      await sql`
        create temporary table new_visits on commit drop as
        select gen_random_uuid() as id, h.id as household_id, h.member_id, h.space_id, u.path as unit_path,
               now() - (random() * interval '365 days') as visited_at
        from (select h.*, row_number() over () as rn from households h where h.member_id is not null) h
        join units u on u.id = h.unit_id
        join generate_series(1, ${Math.ceil(k / 18000) + 1}) g on true
        limit ${k}`.execute(trx);
      await sql`
        insert into visits (id, household_id, member_id, space_id, visited_at, method, duty, summary, follow_up, hlc)
        select id, household_id, member_id, space_id, visited_at, 'in_person', 'concerns', '走访了解情况', false,
               lpad(to_hex((extract(epoch from visited_at) * 1000)::bigint), 16, '0') || '-0000-bench'
        from new_visits`.execute(trx);
      // One version per space for the bulk load, as if each space's visits came in one push.
      await sql`
        with bumped as (
          insert into space_versions (space_id, version) select distinct space_id, 1 from new_visits
          on conflict (space_id) do update set version = space_versions.version + 1
          returning space_id, version)
        insert into changes (space_id, version, table_name, row_id, unit_path, household_ids, member_ids)
        select v.space_id, b.version, 'visits', v.id, v.unit_path, array[v.household_id], array[v.member_id]
        from new_visits v join bumped b on b.space_id = v.space_id`.execute(trx);
    });
  }
  await sql`analyze`.execute(db);
}

