/**
 * What one server test file spends getting its database, three ways: migrating and loading the
 * demo organisation itself (the old createTestApp), copying the run's migrated template and
 * loading the organisation, and copying the demo template (what createTestApp does now).
 * Prints medians; not a test. Usage:
 *   npx tsx bench/test-db-setup.ts                                             # PGlite only
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/test-db-setup.ts
 */
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { openDb, type OpenedDb } from '../server/src/db/open.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { DEMO_SIZE, generateOrg } from '../server/src/demo/generate-org.ts';
import { loadOrg } from '../server/src/demo/load-org.ts';
import { buildTemplates, onServer, withDatabase } from '../server/test/db-templates.ts';
import { median, time } from './lib.ts';

const url = process.env.BENCH_DATABASE_URL;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

const [built, buildMs] = await time(() => buildTemplates({ url }));
const { templates, drop } = built;
console.log(`templates built in ${buildMs.toFixed(0)} ms (load ${load()})`);

type Way = { name: string; open(i: number): Promise<{ opened: OpenedDb; drop(): Promise<void> }> };

async function pgDb(i: number, name: string, template?: string) {
  await onServer(url!, `create database ${name}_${i}${template ? ` template ${template}` : ''}`);
  const opened = await openDb({ kind: 'postgres', url: withDatabase(url!, `${name}_${i}`), poolSize: 12 });
  return { opened, drop: async () => { await opened.close(); await onServer(url!, `drop database ${name}_${i} with (force)`); } };
}
const pglite = async (file?: string) => {
  const opened = await openDb({ kind: 'pglite', ...(file ? { loadDataDir: new Blob([await readFile(file)]) } : {}) });
  return { opened, drop: () => opened.close() };
};
const seed = async (d: { opened: OpenedDb; drop(): Promise<void> }) => (await loadOrg(d.opened.db, generateOrg(DEMO_SIZE, 7)), d);
const migrate = async (d: { opened: OpenedDb; drop(): Promise<void> }) => (await migrateToLatest(d.opened.db), d);

const ways: Way[] = [
  { name: 'pglite: initdb + migrate + load org (old)', open: async () => seed(await migrate(await pglite())) },
  { name: 'pglite: migrated dump + load org', open: async () => seed(await pglite(templates.pglite.migrated)) },
  { name: 'pglite: demo dump (now)', open: () => pglite(templates.pglite.demo) },
];
if (url && templates.postgres) {
  const pid = process.pid;
  ways.push(
    { name: 'postgres: create + migrate + load org (old)', open: async (i) => seed(await migrate(await pgDb(i, `lianxin_bench_old_${pid}`))) },
    { name: 'postgres: copy migrated template + load org', open: async (i) => seed(await pgDb(i, `lianxin_bench_mig_${pid}`, templates.postgres!.migrated)) },
    { name: 'postgres: copy demo template (now)', open: (i) => pgDb(i, `lianxin_bench_demo_${pid}`, templates.postgres!.demo) },
  );
}

try {
  for (const way of ways) {
    const opens: number[] = [];
    const drops: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const [d, openMs] = await time(() => way.open(i));
      const [, dropMs] = await time(() => d.drop());
      opens.push(openMs);
      drops.push(dropMs);
    }
    console.log(`${way.name}: median ${median(opens).toFixed(0)} ms to open, ${median(drops).toFixed(0)} ms to drop (${RUNS} runs: ${opens.map((x) => x.toFixed(0)).join(', ')}; load ${load()})`);
  }
} finally {
  await drop();
}
if (!url) console.log('postgres: skipped (set BENCH_DATABASE_URL to measure)');
// Something inside PGlite's WebAssembly keeps the process up after every instance is closed.
process.exit(0);
