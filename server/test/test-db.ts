import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import type { LogConfig } from 'kysely';
import { openDb, type DbKind, type OpenedDb } from '../src/db/open.ts';
import type { GeneratedOrg } from '../src/demo/generate-org.ts';
import { onServer, pgUrl, withDatabase, type DbTemplates } from './db-templates.ts';

/** Every database the suite runs on: always PGlite, and PostgreSQL when a URL is given. */
export const DB_KINDS: DbKind[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDb {
  opened: OpenedDb;
  /** Closes the connection and drops the database (PostgreSQL) or the memory (PGlite). */
  drop(): Promise<void>;
}

/** `migrated`: the current schema, no rows. `demo`: that and the demo organisation (`demoOrg()`). */
export type TestDbContents = 'migrated' | 'demo';

function templates(): DbTemplates {
  const t = inject('dbTemplates');
  if (!t) throw new Error('no database templates: add server/test/db-templates.ts to this Vitest project\'s globalSetup');
  return t;
}

/** The organisation every `demo` test database holds (a copy: tests may change theirs). */
export function demoOrg(): GeneratedOrg {
  return structuredClone(templates().org);
}

/**
 * A database of its own for a test file, copied from the run's template: PGlite in memory
 * started from the template's data-dir dump, or a new PostgreSQL database made with
 * CREATE DATABASE … TEMPLATE. `log` sees every statement (tests count them).
 */
export async function createTestDb(kind: DbKind, contents: TestDbContents = 'migrated', log?: LogConfig): Promise<TestDb> {
  const t = templates();
  if (kind === 'pglite') {
    const dump = new Blob([await readFile(t.pglite[contents])]);
    const opened = await openDb({ kind: 'pglite', loadDataDir: dump }, log);
    return { opened, drop: () => opened.close() };
  }
  const url = pgUrl;
  if (!url || !t.postgres) throw new Error('no PostgreSQL for this run: set TEST_DATABASE_URL');
  const name = `lianxin_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await onServer(url, `create database ${name} template ${t.postgres[contents]}`);
  const opened = await openDb({ kind: 'postgres', url: withDatabase(url, name), poolSize: 12 }, log);
  return {
    opened,
    async drop() {
      await opened.close();
      await onServer(url, `drop database if exists ${name} with (force)`);
    },
  };
}
