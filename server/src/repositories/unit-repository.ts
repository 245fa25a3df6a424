import { sql, type Kysely } from 'kysely';
import { SPACE_UNIT_KINDS, type UnitKind } from '@shared/domain/org-tree.ts';
import type { UnitLabel } from '@shared/schemas/admin-people.ts';
import type { Unit, UnitTreeNode } from '@shared/schemas/unit.ts';
import { inIds, underAny } from '../access/scope-sql.ts';
import type { Database, UnitRow } from '../db/database.ts';
import { pathToText, textToPath } from '../db/unit-path.ts';

type Db = Kysely<Database>;

export function toUnit(row: UnitRow): Unit {
  return {
    id: row.id,
    kind: row.kind as UnitKind,
    name: row.name,
    parentId: row.parent_id,
    spaceId: row.space_id,
    retiredAt: row.retired_at ? row.retired_at.toISOString() : null,
  };
}

export async function findUnit(db: Db, id: string): Promise<UnitRow | undefined> {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every unit of a subtree (path prefix), itself included. */
export async function listSubtreeRows(db: Db, pathPrefix: string): Promise<UnitRow[]> {
  return db.selectFrom('units').selectAll().where('path', 'like', `${pathPrefix}%`).execute();
}

/** What still lives directly in a unit: active child units, members and households. */
export async function countContents(db: Db, id: string): Promise<number> {
  const { units, members, households } = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('units').select(eb.fn.countAll<number>().as('n')).where('parent_id', '=', id).where('retired_at', 'is', null).as('units'),
      eb.selectFrom('members').select(eb.fn.countAll<number>().as('n')).where('unit_id', '=', id).where('retired_at', 'is', null).as('members'),
      eb.selectFrom('households').select(eb.fn.countAll<number>().as('n')).where('unit_id', '=', id).as('households'),
    ])
    .executeTakeFirstOrThrow();
  return Number(units) + Number(members) + Number(households);
}

/**
 * Moves a unit and its whole subtree: every path under the old prefix is rewritten to the
 * new one in a single statement, and the subtree's space follows the new parent's.
 */
export async function moveSubtree(db: Db, unit: UnitRow, parent: UnitRow): Promise<void> {
  const oldPrefix = unit.path;
  const newPrefix = pathToText([...textToPath(parent.path), unit.id]);
  await db.updateTable('units').set({ parent_id: parent.id }).where('id', '=', unit.id).execute();
  await db
    .updateTable('units')
    .set({ path: sql`${newPrefix} || substr(path, ${oldPrefix.length + 1})` })
    .where('path', 'like', `${oldPrefix}%`)
    .execute();
  // A unit's space is the town or sub-district on its path; the ids on the path are primary-key lookups.
  await db
    .updateTable('units as u')
    .set({
      space_id: sql`(select s.id from units s
        where s.id = any(string_to_array(trim(both '/' from u.path), '/')::uuid[])
          and s.kind in (${sql.join(SPACE_UNIT_KINDS)}) limit 1)`,
    })
    .where('u.path', 'like', `${newPrefix}%`)
    .execute();
  await db
    .updateTable('households')
    .set({ space_id: sql`(select u.space_id from units u where u.id = households.unit_id)` })
    .where('unit_id', 'in', (eb) => eb.selectFrom('units').select('id').where('path', 'like', `${newPrefix}%`))
    .execute();
  await db
    .updateTable('members')
    .set({ space_id: sql`(select u.space_id from units u where u.id = members.unit_id)` })
    .where('unit_id', 'in', (eb) => eb.selectFrom('units').select('id').where('path', 'like', `${newPrefix}%`))
    .execute();
}

/** The active subtree under `root` with counts of what each unit holds, its subtree included. */
export async function listSubtree(db: Db, root: UnitRow): Promise<UnitTreeNode[]> {
  const rootDepth = textToPath(root.path).length;
  const units = await db
    .selectFrom('units')
    .select(['id', 'kind', 'name', 'parent_id', 'path'])
    .where('path', 'like', `${root.path}%`)
    .where('retired_at', 'is', null)
    .orderBy('path')
    .execute();
  const members = await db
    .selectFrom('members')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .select(['members.unit_id as unitId', (eb) => eb.fn.countAll<number>().as('n')])
    .where('units.path', 'like', `${root.path}%`)
    .where('members.retired_at', 'is', null)
    .groupBy('members.unit_id')
    .execute();
  const households = await db
    .selectFrom('households')
    .innerJoin('units', 'units.id', 'households.unit_id')
    .select([
      'households.unit_id as unitId',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.count<number>('households.member_id').as('assigned'),
    ])
    .where('units.path', 'like', `${root.path}%`)
    .groupBy('households.unit_id')
    .execute();

  const own = new Map(units.map((u) => [u.id, { units: 0, members: 0, households: 0, unassignedHouseholds: 0 }]));
  for (const m of members) own.get(m.unitId)!.members += Number(m.n);
  for (const h of households) {
    const c = own.get(h.unitId);
    if (!c) continue;
    c.households += Number(h.n);
    c.unassignedHouseholds += Number(h.n) - Number(h.assigned);
  }
  // Roll each unit's own counts up to every ancestor inside the listed subtree.
  const totals = new Map([...own].map(([id, c]) => [id, { ...c }]));
  for (const u of units) {
    const ancestors = textToPath(u.path).slice(rootDepth - 1, -1);
    const c = own.get(u.id)!;
    for (const a of ancestors) {
      const t = totals.get(a);
      if (!t) continue;
      t.units += 1;
      t.members += c.members;
      t.households += c.households;
      t.unassignedHouseholds += c.unassignedHouseholds;
    }
  }
  return units.map((u) => ({
    id: u.id,
    kind: u.kind as UnitKind,
    name: u.name,
    parentId: u.parent_id,
    depth: textToPath(u.path).length - rootDepth,
    counts: totals.get(u.id)!,
  }));
}

/** A LIKE pattern matching `text` anywhere, its wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The kind of a unit's parent (null for a root), which decides a grid's address shape. */
export async function parentKind(db: Db, unit: Pick<UnitRow, 'parent_id'>): Promise<UnitKind | null> {
  if (!unit.parent_id) return null;
  const parent = await db.selectFrom('units').select('kind').where('id', '=', unit.parent_id).executeTakeFirst();
  return (parent?.kind as UnitKind | undefined) ?? null;
}

/**
 * Units as the desk names them: each with the names from the root down to itself, read in one
 * statement for every ancestor of the batch.
 */
export async function unitLabels(db: Db, rows: readonly { id: string; kind: string; name: string; path: string }[]): Promise<Map<string, UnitLabel>> {
  const ids = [...new Set(rows.flatMap((r) => textToPath(r.path)))];
  const names = new Map<string, string>();
  if (ids.length) {
    const found = await db.selectFrom('units').select(['id', 'name']).where(inIds('id', ids)).execute();
    for (const f of found) names.set(f.id, f.name);
  }
  return new Map(
    rows.map((r) => [r.id, { id: r.id, kind: r.kind as UnitKind, name: r.name, pathNames: textToPath(r.path).map((id) => names.get(id) ?? '') }]),
  );
}

/** Active units under any of `prefixes` whose name contains `q`, by path, at most `limit`. */
export async function searchUnits(
  db: Db,
  prefixes: readonly string[],
  filter: { q?: string; kinds?: readonly UnitKind[]; limit: number },
): Promise<UnitRow[]> {
  let q = db.selectFrom('units').selectAll().where('retired_at', 'is', null).where(underAny('path', prefixes));
  if (filter.q) q = q.where(sql<boolean>`name ilike ${containsPattern(filter.q)}`);
  if (filter.kinds) q = filter.kinds.length ? q.where('kind', 'in', [...filter.kinds]) : q.where(sql<boolean>`false`);
  return q.orderBy('path').limit(filter.limit).execute();
}

/** Households anywhere in a subtree (path prefix). */
export async function countHouseholdsUnder(db: Db, pathPrefix: string): Promise<number> {
  const row = await db
    .selectFrom('households')
    .innerJoin('units', 'units.id', 'households.unit_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('units.path', 'like', `${pathPrefix}%`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
