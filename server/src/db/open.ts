import { Kysely, PostgresDialect, type LogConfig } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pglitePool } from './pglite-pool.ts';
import type { Database } from './database.ts';

export type DbKind = 'pglite' | 'postgres';

export interface OpenedDb {
  db: Kysely<Database>;
  kind: DbKind;
  /** The PGlite instance in embedded mode (for LISTEN/NOTIFY in-process). */
  pglite?: PGlite;
  /** The connection string on a real PostgreSQL (a LISTEN needs a connection of its own). */
  url?: string;
  close(): Promise<void>;
}

export type DbConfig =
  | { kind: 'postgres'; url: string; poolSize?: number }
  /** `loadDataDir`: a PGlite data-dir dump (`dumpDataDir`) to start from instead of an empty cluster. */
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob };

// bigint counts and versions fit a JS number for centuries of this app's traffic.
pg.types.setTypeParser(20, (v) => Number(v));
const INT8 = 20;

/**
 * Opens Kysely on a real PostgreSQL (`pg`) or on PGlite in a folder (memory when none). `log`
 * sees every statement, transaction control included (tests and benchmarks count them).
 */
export async function openDb(config: DbConfig, log?: LogConfig): Promise<OpenedDb> {
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 10 });
    // An idle connection dropped by the server (restart, failover) must not take the process down;
    // the pool opens a new one on the next query.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
    return { db, kind: 'postgres', url: config.url, close: () => db.destroy() };
  }
  const pglite = await PGlite.create({
    ...(config.dataDir ? { dataDir: config.dataDir } : {}),
    ...(config.loadDataDir ? { loadDataDir: config.loadDataDir } : {}),
    parsers: { [INT8]: (v: string) => Number(v) },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }), ...(log ? { log } : {}) });
  return { db, kind: 'pglite', pglite, close: () => db.destroy() };
}
