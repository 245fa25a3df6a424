import pg from 'pg';
import type { LogConfig } from 'kysely';
import { openDb, type DbKind, type OpenedDb } from '../src/db/open.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

const pgUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

if (process.env.CI && !pgUrl) {
  // CI must exercise the real PostgreSQL too; a run without it would pass on PGlite alone.
  throw new Error('CI is set but neither TEST_DATABASE_URL nor DATABASE_URL is: refusing to run PGlite-only');
}

/** Every database the suite runs on: always PGlite, and PostgreSQL when a URL is given. */
export const DB_KINDS: DbKind[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDb {
  opened: OpenedDb;
  /** Closes the connection and drops the database (PostgreSQL) or the memory (PGlite). */
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh, migrated database of the given kind: PGlite in memory, or a new PostgreSQL database; `log` sees every statement. */
export async function createTestDb(kind: DbKind, log?: LogConfig): Promise<TestDb> {
  if (kind === 'pglite') {
    const opened = await openDb({ kind: 'pglite' }, log);
    await migrateToLatest(opened.db);
    return { opened, drop: () => opened.close() };
  }
  const name = `lianxin_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const opened = await openDb({ kind: 'postgres', url: withDatabase(pgUrl!, name), poolSize: 12 }, log);
  await migrateToLatest(opened.db);
  return {
    opened,
    async drop() {
      await opened.close();
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
