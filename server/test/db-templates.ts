import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Migration } from 'kysely';
import type { TestProject } from 'vitest/node';
import { openDb } from '../src/db/open.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { migrations } from '../src/db/migrations/index.ts';
import { DEMO_SIZE, generateOrg, type GeneratedOrg } from '../src/demo/generate-org.ts';
import { loadOrg } from '../src/demo/load-org.ts';

/**
 * Vitest globalSetup for every project that opens test databases: builds, once per run, a
 * migrated database and one holding the demo organisation, for each database kind; test
 * files then clone them (test-db.ts) instead of migrating and seeding one by one. Built from
 * the migrations in the checkout at run start and dropped at its end, never kept across runs.
 */

export const pgUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

if (process.env.CI && !pgUrl) {
  // CI must exercise the real PostgreSQL too; a run without it would pass on PGlite alone.
  throw new Error('CI is set but neither TEST_DATABASE_URL nor DATABASE_URL is: refusing to run PGlite-only');
}

/** What a run's templates are; passed to the test workers through Vitest's provide/inject. */
export interface DbTemplates {
  runId: string;
  /** The organisation in every `demo` template, so tests know its ids and phones. */
  org: GeneratedOrg;
  /** Files holding PGlite data-dir dumps (PGlite has no CREATE DATABASE … TEMPLATE). */
  pglite: { migrated: string; demo: string };
  /** Database names on `pgUrl`, or null when the run has no PostgreSQL. */
  postgres: { migrated: string; demo: string } | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    dbTemplates: DbTemplates;
  }
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs SQL on the server's maintenance database (CREATE / ALTER / DROP DATABASE). */
export async function onServer(url: string, ...statements: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    for (const s of statements) await admin.query(s);
  } finally {
    await admin.end();
  }
}

async function buildPglite(dir: string, list: Record<string, Migration>, org: GeneratedOrg): Promise<DbTemplates['pglite']> {
  const opened = await openDb({ kind: 'pglite' });
  try {
    await migrateToLatest(opened.db, list);
    // Uncompressed: a 40 MB file read from the page cache loads faster than gunzipping 5 MB.
    const migrated = join(dir, 'migrated.tar');
    await writeFile(migrated, Buffer.from(await (await opened.pglite!.dumpDataDir('none')).arrayBuffer()));
    await loadOrg(opened.db, org);
    const demo = join(dir, 'demo.tar');
    await writeFile(demo, Buffer.from(await (await opened.pglite!.dumpDataDir('none')).arrayBuffer()));
    return { migrated, demo };
  } finally {
    await opened.close();
  }
}

async function buildPostgres(url: string, names: { migrated: string; demo: string }, list: Record<string, Migration>, org: GeneratedOrg) {
  await onServer(url, `create database ${names.migrated}`);
  const migrated = await openDb({ kind: 'postgres', url: withDatabase(url, names.migrated), poolSize: 2 });
  await migrateToLatest(migrated.db, list).finally(() => migrated.close());
  // A source database must have no sessions: every pool is closed before it is copied.
  await onServer(url, `create database ${names.demo} template ${names.migrated}`);
  const demo = await openDb({ kind: 'postgres', url: withDatabase(url, names.demo), poolSize: 2 });
  await loadOrg(demo.db, org).finally(() => demo.close());
  // Nobody may connect any more: one stray session would make every later clone fail.
  await onServer(url, ...Object.values(names).map((n) => `alter database ${n} allow_connections false`));
}

/** Builds one run's templates; `drop` removes whatever of them exists (also after a failed build). */
export async function buildTemplates(options: { url?: string; migrations?: Record<string, Migration> } = {}) {
  const { url, migrations: list = migrations } = options;
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const dir = await mkdtemp(join(tmpdir(), `lianxin-tpl-${runId}-`));
  const names = { migrated: `lianxin_tpl_${runId}`, demo: `lianxin_tpl_${runId}_demo` };
  const org = generateOrg(DEMO_SIZE, 7);
  const drop = async () => {
    if (url) await onServer(url, ...Object.values(names).map((n) => `drop database if exists ${n} with (force)`));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // The two kinds build side by side: PGlite works in this process, PostgreSQL in its server.
    const [pglite] = await Promise.all([buildPglite(dir, list, org), url ? buildPostgres(url, names, list, org) : null]);
    const templates: DbTemplates = { runId, org, pglite, postgres: url ? names : null };
    return { templates, drop };
  } catch (err) {
    await drop().catch(() => {});
    throw err;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { templates, drop } = await buildTemplates({ url: pgUrl });
  project.provide('dbTemplates', templates);
  return drop;
}
