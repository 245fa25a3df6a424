import pg from 'pg';
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
