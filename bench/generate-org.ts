/**
 * How fast the demo generator makes and loads a large organisation (≈5,000 members,
 * 19,000 households). Prints medians; not a test. Usage:
 *   npx tsx bench/generate-org.ts                 # PGlite in memory
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/postgres npx tsx bench/generate-org.ts
 */
import pg from 'pg';
import { openDb } from '../server/src/db/open.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { LARGE_SIZE, generateOrg } from '../server/src/demo/generate-org.ts';
import { loadOrg } from '../server/src/demo/load-org.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = async (f: () => Promise<unknown> | unknown) => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};

const gen: number[] = [];
let org = generateOrg(LARGE_SIZE, 1, '139');
for (let i = 0; i < 5; i++) gen.push(await time(() => (org = generateOrg(LARGE_SIZE, i + 1, '139'))));
console.log(`generate: ${org.members.length} members, ${org.households.length} households, ${org.units.length} units — median ${median(gen).toFixed(0)} ms (5 runs)`);

async function loadInto(kind: 'pglite' | 'postgres', url?: string) {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    let drop = async () => {};
    let opened;
    if (kind === 'postgres') {
      const name = `lianxin_bench_${process.pid}_${i}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const u = new URL(url!);
      u.pathname = `/${name}`;
      opened = await openDb({ kind, url: u.toString() });
      drop = async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`drop database ${name} with (force)`);
        await c.end();
      };
    } else {
      opened = await openDb({ kind: 'pglite' });
    }
    await migrateToLatest(opened.db);
    const o = generateOrg(LARGE_SIZE, i + 1, '139');
    runs.push(await time(() => loadOrg(opened.db, o)));
    await opened.close();
    await drop();
  }
  console.log(`load into ${kind}: median ${median(runs).toFixed(0)} ms (3 runs: ${runs.map((r) => r.toFixed(0)).join(', ')})`);
}

await loadInto('pglite');
const url = process.env.BENCH_DATABASE_URL;
if (url) await loadInto('postgres', url);
else console.log('load into postgres: skipped (set BENCH_DATABASE_URL to measure)');
