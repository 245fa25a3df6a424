import { sql, type Kysely } from 'kysely';
import type { KindDef } from '@shared/sync/kind.ts';
import { allKinds, kindOf } from '@shared/sync/registry.ts';
import { pathToText } from '../db/unit-path.ts';
import { ChangeBuffer, type Change } from './change-buffer.ts';
import { loadByIds, readTables, toColumns, toRecord } from './row-codec.ts';

type Row = Record<string, unknown>;
type Audience = Omit<Change, 'table' | 'rowId' | 'scopeChange'>;
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

interface HouseholdFacts {
  memberId: string | null;
  unitId: string;
}
interface UnitFacts {
  path: string;
  spaceId: string;
}

/**
 * The one path of every synced write — a mutation, an admin screen, an import, the demo loader:
 * the row goes into its kind's table and the change log learns, from the kind's visibility rules,
 * which devices see it now and which saw it before. A device that saw it and no longer does gets
 * a delete; one newly given it gets it with what depends on it (a household's history).
 * Lookups (a household's liaison, a unit's path and space) are cached for one transaction.
 */
export class SyncWriter {
  private readonly households = new Map<string, HouseholdFacts | null>();
  private readonly units = new Map<string, UnitFacts | null>();
  /**
   * While set (a batch of a push), new rows are not inserted one by one but kept here, by table
   * and id, for `flushPending` to insert with one statement per table. A statement that writes
   * flushes them first, and so does a read of a table holding some, so the database never misses
   * a row a later statement needs.
   */
  deferInserts = false;
  /** Statements that wrote, so far: a batch that wrote nothing yet can be undone in memory. */
  writes = 0;
  private readonly pending = new Map<string, Map<string, Row>>();

  constructor(
    readonly trx: Kysely<any>,
    readonly changes: ChangeBuffer,
  ) {}

  /**
   * Inserts or replaces a row and records it. `before` is the row as it was (null: new); left
   * out, it is read first. `extra` sets server-only columns the wire does not carry.
   */
  async put(table: string, row: Row, opts: { before?: Row | null; extra?: Row } = {}): Promise<void> {
    const kind = kindOf(table);
    const id = row.id as string;
    if (opts.before === undefined) await this.flushPending(readTables(kind));
    const before = opts.before !== undefined ? opts.before : ((await loadByIds(this.trx, kind, [id]))[0] ?? null);
    const after = await this.audience(kind, row);
    if (after.length === 0) throw new Error(`${table} ${String(row.id)}: no device could ever see it (its kind's visibility names no unit)`);
    const cols = { ...toColumns(kind, row), ...opts.extra };
    cols.space_id ??= after[0]!.spaceId;
    // Deferred: a new row, or one still waiting to be inserted, joins its table's multi-row insert.
    const waiting = this.pending.get(table)?.get(id);
    if (waiting || (before === null && this.deferInserts)) {
      if (!this.pending.has(table)) this.pending.set(table, new Map());
      this.pending.get(table)!.set(id, { ...waiting, ...cols });
      this.record(table, id, after, before ? await this.audience(kind, before) : null);
      return;
    }
    await this.flushPending();
    this.writes += 1;
    const updates = Object.keys(cols).filter((c) => c !== 'id');
    // A hidden row brought back (an archived household restored) was seen by nobody: every
    // device that sees it now is newly given it, with what depends on it.
    const unhidden = before !== null && kind.hiddenWhen !== undefined && opts.extra?.[kind.hiddenWhen] === null && (await this.hidden(kind, row.id as string));
    if (before) {
      // An update, not an upsert: the row keeps its server-only columns (a conflict's origin),
      // which an insert attempt would have to repeat to pass their NOT NULL checks.
      await this.trx.updateTable(table).set(Object.fromEntries(updates.map((c) => [c, cols[c]]))).where('id', '=', row.id as string).execute();
    } else {
      await this.trx
        .insertInto(table)
        .values(cols)
        .onConflict((oc) => oc.column('id').doUpdateSet(Object.fromEntries(updates.map((c) => [c, sql.ref(`excluded.${c}`)]))))
        .execute();
    }
    this.record(table, row.id as string, after, before ? (unhidden ? [] : await this.audience(kind, before)) : null);
  }

  /** Is the stored row hidden from every device now (its kind's `hiddenWhen` column set)? */
  private async hidden(kind: KindDef, id: string): Promise<boolean> {
    await this.flushPending([kind.table]);
    const r = await this.trx.selectFrom(kind.table).select(sql.ref(kind.hiddenWhen!).as('h')).where('id', '=', id).executeTakeFirst();
    return r !== undefined && r.h !== null;
  }

  /**
   * Inserts many new rows of a kind (a roster, the demo organisation) in multi-row statements,
   * each recorded like `put` records it.
   */
  async insertMany(table: string, rows: Row[], extra: (row: Row) => Row = () => ({})): Promise<void> {
    const kind = kindOf(table);
    await this.flushPending();
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      const values = [];
      for (const row of chunk) {
        const after = await this.audience(kind, row);
        if (after.length === 0) throw new Error(`${table} ${String(row.id)}: no device could ever see it`);
        const cols = { ...toColumns(kind, row), ...extra(row) };
        cols.space_id ??= after[0]!.spaceId;
        values.push(cols);
        this.record(table, row.id as string, after, null);
      }
      this.writes += 1;
      await this.trx.insertInto(table).values(values).execute();
    }
  }

  /**
   * Writes many rows of a kind, new (`before` null) and existing, in set-based statements (a
   * roster import), each recorded like `put` records it. Updates go through
   * `json_populate_recordset`, one parameter per slice, so each value takes its column's type
   * from the table itself, whatever the kind.
   */
  async putMany(table: string, items: readonly { row: Row; before: Row | null }[], extra: (row: Row) => Row = () => ({})): Promise<void> {
    const kind = kindOf(table);
    const inserts = items.filter((i) => !i.before).map((i) => i.row);
    if (inserts.length) await this.insertMany(table, inserts, extra);
    const updates = items.filter((i) => i.before);
    for (let i = 0; i < updates.length; i += 2000) {
      // Rows of one slice may set different columns (a field left undefined is kept): one statement per column set.
      const byColumns = new Map<string, Row[]>();
      for (const { row, before } of updates.slice(i, i + 2000)) {
        const after = await this.audience(kind, row);
        if (after.length === 0) throw new Error(`${table} ${String(row.id)}: no device could ever see it`);
        const rec = { ...toRecord(kind, row), ...extra(row) };
        rec.space_id ??= after[0]!.spaceId;
        const cols = Object.keys(rec).sort().join(',');
        const group = byColumns.get(cols) ?? [];
        group.push(rec);
        byColumns.set(cols, group);
        this.record(table, row.id as string, after, await this.audience(kind, before!));
      }
      await this.flushPending();
      for (const [cols, recs] of byColumns) {
        this.writes += 1;
        const set = cols.split(',').filter((c) => c !== 'id').map((c) => sql`${sql.ref(c)} = v.${sql.ref(c)}`);
        await sql`update ${sql.table(table)} as t set ${sql.join(set)}
          from json_populate_recordset(null::${sql.table(table)}, cast(${JSON.stringify(recs)} as json)) as v
          where t.id = v.id`.execute(this.trx);
      }
    }
  }

  /** Records a change of a row written by other means (a bulk statement), with its audience now. */
  async touch(table: string, row: Row, before: Row | null = null): Promise<void> {
    const kind = kindOf(table);
    this.record(table, row.id as string, await this.audience(kind, row), before ? await this.audience(kind, before) : null);
  }

  private record(table: string, rowId: string, after: Audience[], before: Audience[] | null): void {
    const key = (a: Audience) => JSON.stringify([a.unitPath, a.unitWide, [...a.memberIds].sort()]);
    const now = new Set(after.map(key));
    const moved = before !== null && (before.length !== after.length || before.some((b) => !now.has(key(b))));
    for (const a of after) this.changes.add({ ...a, table, rowId, scopeChange: moved });
    // Devices that saw it and no longer do hear of it too: their pull finds it gone and deletes it.
    if (moved) for (const b of before!) if (!now.has(key(b))) this.changes.add({ ...b, table, rowId, scopeChange: false });
  }

  /**
   * Inserts the rows `deferInserts` kept, parents' tables first, one multi-row statement per
   * table (per set of columns): an upsert like `put`'s insert. Given the tables a read is about
   * to read, only when one of them has rows waiting.
   */
  async flushPending(readsOf?: readonly string[]): Promise<void> {
    if (this.pending.size === 0) return;
    // Before a read: only if it reads a table that has rows waiting.
    if (readsOf && !readsOf.some((t) => this.pending.has(t))) return;
    const tables = allKinds().map((k) => k.table).filter((t) => this.pending.has(t));
    const pending = new Map(this.pending);
    this.pending.clear();
    for (const table of tables) {
      const bySignature = new Map<string, Row[]>();
      for (const cols of pending.get(table)!.values()) {
        const signature = Object.keys(cols).sort().join(',');
        if (!bySignature.has(signature)) bySignature.set(signature, []);
        bySignature.get(signature)!.push(cols);
      }
      for (const rows of bySignature.values()) {
        const updates = Object.keys(rows[0]!).filter((c) => c !== 'id');
        for (let i = 0; i < rows.length; i += 500) {
          this.writes += 1;
          await this.trx
            .insertInto(table)
            .values(rows.slice(i, i + 500))
            .onConflict((oc) => oc.column('id').doUpdateSet(Object.fromEntries(updates.map((c) => [c, sql.ref(`excluded.${c}`)]))))
            .execute();
        }
      }
    }
  }

  /** Drops the rows kept for insertion (their batch was rolled back). */
  discardPending(): void {
    this.pending.clear();
  }

  /**
   * Reads the liaison, unit, unit path and space of many households in one query, for the
   * audience of what a batch writes about them (`household` visibility rules).
   */
  async knowHouseholds(householdIds: readonly string[]): Promise<void> {
    const unknown = [...new Set(householdIds)].filter((id) => !this.households.has(id));
    if (unknown.length === 0) return;
    await this.flushPending(['households', 'units']);
    const found = await this.trx
      .selectFrom('households')
      .innerJoin('units', 'units.id', 'households.unit_id')
      .select(['households.id', 'households.member_id', 'households.unit_id', 'units.path', 'units.space_id'])
      .where('households.id', 'in', unknown)
      .execute();
    for (const id of unknown) this.households.set(id, null);
    for (const h of found as { id: string; member_id: string | null; unit_id: string; path: string; space_id: string | null }[]) {
      this.households.set(h.id, { memberId: h.member_id, unitId: h.unit_id });
      this.units.set(h.unit_id, { path: h.path, spaceId: h.space_id ?? h.unit_id });
    }
  }

  /** Who sees a row, one entry per visibility rule that admits anyone. */
  async audience(kind: KindDef, row: Row): Promise<Audience[]> {
    const out: Audience[] = [];
    for (const rule of kind.visibility) {
      if (rule.by === 'household' || rule.by === 'households') {
        const householdIds = ids(row[rule.field]);
        const facts = await Promise.all(householdIds.map((id) => this.household(id, kind, row)));
        const unitId = rule.by === 'households' ? ids(row[rule.unit])[0] : facts.find((f) => f)?.unitId;
        const unit = unitId ? await this.unit(unitId, kind, row) : null;
        if (!unit) continue;
        const memberIds = facts.map((f) => f?.memberId).filter((m): m is string => !!m);
        out.push({ spaceId: unit.spaceId, unitPath: unit.path, householdIds, memberIds, unitWide: false });
      } else if (rule.by === 'parent') {
        const parentId = ids(row[rule.field])[0];
        const parentKind = kindOf(rule.table);
        if (parentId) await this.flushPending(readTables(parentKind));
        const parent = parentId ? (await loadByIds(this.trx, parentKind, [parentId]))[0] : undefined;
        if (parent) out.push(...(await this.audience(parentKind, parent)));
      } else if (rule.by === 'unit') {
        const unitId = ids(row[rule.field])[0];
        const unit = unitId ? await this.unit(unitId, kind, row) : null;
        if (unit) out.push({ spaceId: unit.spaceId, unitPath: unit.path, householdIds: [], memberIds: [], unitWide: true });
      } else {
        const unitId = ids(row[rule.unit])[0];
        const unit = unitId ? await this.unit(unitId, kind, row) : null;
        if (unit) out.push({ spaceId: unit.spaceId, unitPath: unit.path, householdIds: [], memberIds: ids(row[rule.field]), unitWide: false });
      }
    }
    return out;
  }

  /** A household's liaison and unit; the row being written speaks for itself. */
  private async household(id: string, kind: KindDef, row: Row): Promise<HouseholdFacts | null> {
    if (kind.table === 'households' && row.id === id) return { memberId: (row.memberId as string | null) ?? null, unitId: row.unitId as string };
    if (!this.households.has(id)) {
      await this.flushPending(['households']);
      const h = await this.trx.selectFrom('households').select(['member_id', 'unit_id']).where('id', '=', id).executeTakeFirst();
      this.households.set(id, h ? { memberId: h.member_id, unitId: h.unit_id } : null);
    }
    return this.households.get(id)!;
  }

  private async unit(id: string, kind: KindDef, row: Row): Promise<UnitFacts | null> {
    if (kind.table === 'units' && row.id === id) return { path: pathToText(row.path as string[]), spaceId: (row.spaceId as string | null) ?? id };
    if (!this.units.has(id)) {
      await this.flushPending(['units']);
      const u = await this.trx.selectFrom('units').select(['path', 'space_id']).where('id', '=', id).executeTakeFirst();
      this.units.set(id, u ? { path: u.path, spaceId: u.space_id ?? id } : null);
    }
    return this.units.get(id)!;
  }

  /** Forgets cached facts about these households (after their liaison changed in this transaction). */
  forgetHouseholds(householdIds: readonly string[]): void {
    for (const id of householdIds) this.households.delete(id);
  }
}

/**
 * Runs synced writes inside the caller's transaction and stamps them in the change log as its
 * last statements (commit order), so every device in scope learns of them on its next pull.
 */
export async function writeSynced<T>(trx: Kysely<any>, write: (writer: SyncWriter) => Promise<T>): Promise<T> {
  const changes = new ChangeBuffer();
  const writer = new SyncWriter(trx, changes);
  const out = await write(writer);
  await writer.flushPending();
  await changes.flush(trx);
  return out;
}
