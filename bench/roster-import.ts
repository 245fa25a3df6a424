/**
 * How long a 20,000-row roster (4,000 new liaison members, 16,000 households on the demo
 * organisation) takes to import: dry run and apply, medians of a few runs, beside baselines
 * measured in the same run — reading the workbook alone, and a plain batched INSERT of the same
 * rows (users, members, households; no checks, no change log, no audit). Not a test.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/roster-import.ts
 *   BENCH_RUNS=3 BENCH_PGLITE=1 …   # also on PGlite in memory (slow: one run is enough)
 */
import type { Kysely } from 'kysely';
import { DEFAULT_HOUSEHOLD_LIMITS } from '../shared/src/domain/household.ts';
import { scopeOf } from '../shared/src/domain/scope.ts';
import { uuidv7 } from '../shared/src/uuid.ts';
import type { Database } from '../server/src/db/database.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { openDb, type OpenedDb } from '../server/src/db/open.ts';
import { DEMO_SIZE, generateOrg, type GeneratedOrg } from '../server/src/demo/generate-org.ts';
import { loadOrg } from '../server/src/demo/load-org.ts';
import { loadCaller } from '../server/src/repositories/user-repository.ts';
import { importRoster } from '../server/src/services/roster-import.ts';
import { buildWorkbook, parseWorkbook } from '../server/src/services/roster-workbook.ts';
import { generateRoster } from '../server/test/roster-helpers.ts';
import { freshPostgres, median, ms, time } from './lib.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;

const org = generateOrg(DEMO_SIZE, 1);
const roster = generateRoster(org, ROWS);
const [body, buildMs] = await time(() => buildWorkbook(roster.people, roster.households));
console.log(`workbook: ${roster.people.length} people + ${roster.households.length} households = ${ROWS} rows, ${(body.length / 1e6).toFixed(1)} MB, built in ${ms(buildMs)}`);

/** A fresh database holding the demo organisation, and the district admin's scope on it. */
async function freshDb(kind: 'postgres' | 'pglite', label: string): Promise<{ opened: OpenedDb; drop(): Promise<void>; org: GeneratedOrg }> {
  const fresh = kind === 'postgres' ? await freshPostgres(url!, label, 4) : await (async () => {
    const opened = await openDb({ kind: 'pglite' });
    await migrateToLatest(opened.db);
    return { opened, drop: () => opened.close() };
  })();
  // The same org (same ids) every time, so the workbook's paths resolve.
  await loadOrg(fresh.opened.db, structuredClone(org));
  return { ...fresh, org };
}

const scopeIn = async (db: Kysely<Database>) => scopeOf(await loadCaller(db, org.grants.find((g) => g.role === 'admin')!.userId));

/** The same rows, inserted as plainly as PostgreSQL allows: the floor an import cannot beat. */
async function plainInsert(db: Kysely<Database>): Promise<void> {
  const units = new Map(org.units.map((u) => [org.units.find((x) => x.id === u.id)!.path.map((id) => org.units.find((x) => x.id === id)!.name).join('/'), u]));
  await db.transaction().execute(async (trx) => {
    const members = new Map<string, string>();
    const users = roster.people.map((p) => ({ id: uuidv7(), phone: String(p.phone), name: String(p.name), password_hash: 'x', must_change_password: true }));
    for (let i = 0; i < users.length; i += 2000) await trx.insertInto('users').values(users.slice(i, i + 2000)).execute();
    const memberRows = roster.people.map((p, i) => {
      const id = uuidv7();
      members.set(String(p.phone), id);
      const unit = units.get(String(p.unit))!;
      return { id, user_id: users[i]!.id, unit_id: unit.id, central_household: p.central === '是', space_id: unit.spaceId };
    });
    for (let i = 0; i < memberRows.length; i += 2000) await trx.insertInto('members').values(memberRows.slice(i, i + 2000)).execute();
    const households = roster.households.map((h) => {
      const unit = units.get(String(h.unit))!;
      const address = h.houseNumber ? { kind: 'village', houseNumber: h.houseNumber } : { kind: 'urban', building: h.building, entrance: h.entrance, room: h.room };
      return {
        id: uuidv7(), unit_id: unit.id, member_id: members.get(String(h.memberPhone)) ?? null, space_id: unit.spaceId, head_name: String(h.headName),
        phone: String(h.phone), size: Number(h.size), address: JSON.stringify(address), care_tags: '[]', notes: '', field_meta: '{}', updated_at: new Date(),
      };
    });
    for (let i = 0; i < households.length; i += 1000) await trx.insertInto('households').values(households.slice(i, i + 1000)).execute();
  });
}

async function benchOn(kind: 'postgres' | 'pglite', runs: number) {
  const parse: number[] = [];
  const dry: number[] = [];
  const apply: number[] = [];
  const plain: number[] = [];
  const opts = (dryRun: boolean) => ({ dryRun, limits: { ...DEFAULT_HOUSEHOLD_LIMITS }, now: new Date() });
  for (let i = 0; i < runs; i++) {
    parse.push((await time(() => parseWorkbook(body)))[1]);
    const a = await freshDb(kind, `roster_a${i}`);
    try {
      const scope = await scopeIn(a.opened.db);
      const [checked, dryMs] = await time(() => importRoster(a.opened.db, scope, body, opts(true)));
      if (checked.errorCount) throw new Error(`dry run found errors: ${JSON.stringify(checked.errors.slice(0, 3))}`);
      dry.push(dryMs);
      const [done, applyMs] = await time(() => importRoster(a.opened.db, scope, body, opts(false)));
      if (!done.applied || done.created !== ROWS) throw new Error(`apply did not create every row: ${JSON.stringify({ ...done, passwords: done.passwords.length })}`);
      apply.push(applyMs);
    } finally {
      await a.drop();
    }
    const b = await freshDb(kind, `roster_b${i}`);
    try {
      plain.push((await time(() => plainInsert(b.opened.db)))[1]);
    } finally {
      await b.drop();
    }
  }
  const p = median(parse);
  const ins = median(plain);
  console.log(`${kind}, ${runs} run(s), medians:`);
  console.log(`  read workbook only (baseline)  ${ms(p)}`);
  console.log(`  plain batched INSERT (baseline) ${ms(ins)}`);
  console.log(`  import dryRun=1                ${ms(median(dry))}   ${(median(dry) / p).toFixed(1)}× reading alone`);
  console.log(`  import dryRun=0 (apply)        ${ms(median(apply))}   ${(median(apply) / p).toFixed(1)}× reading alone, ${(median(apply) / (p + ins)).toFixed(1)}× reading + plain INSERT`);
}

if (url) await benchOn('postgres', RUNS);
else console.log('postgres: skipped (set BENCH_DATABASE_URL)');
if (process.env.BENCH_PGLITE) await benchOn('pglite', Number(process.env.BENCH_PGLITE_RUNS ?? 1));
