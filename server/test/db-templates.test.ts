import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { sql, type Kysely, type Migration } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { openDb, type OpenedDb } from '../src/db/open.ts';
import { migrations } from '../src/db/migrations/index.ts';
import { buildTemplates, onServer, pgUrl, withDatabase } from './db-templates.ts';
import { createTestDb, DB_KINDS, demoOrg, type TestDb } from './test-db.ts';

async function migrationNames(db: Kysely<Database>): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

async function count(db: Kysely<Database>, table: string): Promise<number> {
  const rows = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
  return rows.rows[0]!.n;
}

describe.each(DB_KINDS)('test databases copied from the run\'s templates on %s', (kind) => {
  const opened: TestDb[] = [];
  const open = async (contents?: 'migrated' | 'demo') => {
    const t = await createTestDb(kind, contents);
    opened.push(t);
    return t.opened.db;
  };
  afterAll(() => Promise.all(opened.map((t) => t.drop())));

  it('a migrated copy has every current migration and no rows; a demo copy holds exactly the organisation handed to the test', async () => {
    const empty = await open();
    expect(await migrationNames(empty)).toEqual(Object.keys(migrations).sort());
    expect(await count(empty, 'units')).toBe(0);

    const demo = await open('demo');
    const org = demoOrg();
    expect(await migrationNames(demo)).toEqual(Object.keys(migrations).sort());
    const households = await demo.selectFrom('households').select('id').orderBy('id').execute();
    expect(households.map((h) => h.id)).toEqual(org.households.map((h) => h.id).sort());
    const phones = await demo.selectFrom('users').select('phone').execute();
    expect(phones.map((u) => u.phone).sort()).toEqual(org.users.map((u) => u.phone).sort());
  });

  it('copies are independent: what one file writes is seen by neither another copy nor the next one', async () => {
    const a = await open('demo');
    const b = await open('demo');
    await sql`delete from grants`.execute(a);
    await sql`insert into login_failures (phone) values ('13800000001')`.execute(a);
    const c = await open('demo');
    for (const db of [b, c]) {
      expect(await count(db, 'grants')).toBe(demoOrg().grants.length);
      expect(await count(db, 'login_failures')).toBe(0);
    }
  });

  it('demoOrg hands each caller its own copy', () => {
    const org = demoOrg();
    org.households.length = 0;
    expect(demoOrg().households.length).toBeGreaterThan(0);
  });
});

describe('building the templates', () => {
  // A migration that lands after this code was written: the next run's templates must carry it.
  const added: Record<string, Migration> = {
    ...migrations,
    '9999-template-probe': { up: (db) => db.schema.createTable('template_probe').addColumn('id', 'integer').execute() },
  };

  it('builds from the migrations the run starts with, holds the demo organisation, and drop removes every trace', async () => {
    const { templates, drop } = await buildTemplates({ url: pgUrl, migrations: added });
    const copies: OpenedDb[] = [];
    try {
      for (const contents of ['migrated', 'demo'] as const) {
        const dump = new Blob([await readFile(templates.pglite[contents])]);
        copies.push(await openDb({ kind: 'pglite', loadDataDir: dump }));
      }
      if (templates.postgres) {
        // Nobody may connect to a template: one stray session would make every later copy fail.
        expect(await listDatabases(`lianxin_tpl_${templates.runId}%`)).toEqual([
          { datname: templates.postgres.migrated, datallowconn: false },
          { datname: templates.postgres.demo, datallowconn: false },
        ]);
        for (const contents of ['migrated', 'demo'] as const) {
          const name = `${templates.postgres[contents]}_copy`;
          await onServer(pgUrl!, `create database ${name} template ${templates.postgres[contents]}`);
          const db = await openDb({ kind: 'postgres', url: withDatabase(pgUrl!, name), poolSize: 1 });
          copies.push({ ...db, close: () => db.close().then(() => onServer(pgUrl!, `drop database ${name} with (force)`)) });
        }
      }
      for (const [i, copy] of copies.entries()) {
        expect(await migrationNames(copy.db)).toEqual(Object.keys(added).sort());
        expect(await count(copy.db, 'template_probe')).toBe(0);
        expect(await count(copy.db, 'households')).toBe(i % 2 === 0 ? 0 : templates.org.households.length);
      }
    } finally {
      await Promise.all(copies.map((c) => c.close()));
      await drop();
    }
    expect(existsSync(templates.pglite.migrated) || existsSync(templates.pglite.demo)).toBe(false);
    if (pgUrl) expect(await listDatabases(`lianxin_tpl_${templates.runId}%`)).toEqual([]);
  });
});

async function listDatabases(like: string): Promise<{ datname: string; datallowconn: boolean }[]> {
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  try {
    const r = await c.query('select datname, datallowconn from pg_database where datname like $1 order by datname', [like]);
    return r.rows;
  } finally {
    await c.end();
  }
}
