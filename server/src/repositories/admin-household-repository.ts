import { sql, type Kysely } from 'kysely';
import { shownOnList } from '@shared/domain/household.ts';
import { canAdminUnit, type Scope } from '@shared/domain/scope.ts';
import { HOUSEHOLD_FIELD_POLICIES } from '@shared/kinds/households.ts';
import type { AdminHousehold, AdminHouseholdPage, AdminHouseholdQuery } from '@shared/schemas/admin-households.ts';
import type { Address } from '@shared/schemas/household.ts';
import type { Database } from '../db/database.ts';
import { textToPath } from '../db/unit-path.ts';
import { inSubtreeOf, readPrefixes, underAny } from '../access/scope-sql.ts';

type Db = Kysely<Database>;

/** `%text%` for LIKE, with the caller's own `%`, `_` and `\` taken literally. */
export const likeText = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The names of the units on these paths, by id, in one query. */
export async function unitNames(db: Db, paths: readonly (readonly string[])[]): Promise<Map<string, string>> {
  const ids = [...new Set(paths.flat())];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('units').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

function baseQuery(db: Db, scope: Scope, f: AdminHouseholdQuery) {
  let q = db
    .selectFrom('households as h')
    .innerJoin('units as u', 'u.id', 'h.unit_id')
    .leftJoin('members as m', 'm.id', 'h.member_id')
    .leftJoin('users as mu', 'mu.id', 'm.user_id')
    .where(underAny('u.path', readPrefixes(scope)));
  if (f.unitId) q = q.where(inSubtreeOf('u.path', f.unitId));
  if (f.memberId) q = q.where('h.member_id', '=', f.memberId);
  if (f.liaison) q = q.where('h.member_id', f.liaison === 'assigned' ? 'is not' : 'is', null);
  const archived = f.archived ?? 'active';
  if (archived !== 'all') q = q.where('h.archived_at', archived === 'active' ? 'is' : 'is not', null);
  if (f.q?.trim()) {
    const like = likeText(f.q.trim());
    q = q.where(sql<boolean>`(h.head_name ilike ${like} or h.phone like ${like} or h.address::text ilike ${like})`);
  }
  return q;
}

const selectRow = (q: ReturnType<typeof baseQuery>) =>
  q.select([
    'h.id', 'h.unit_id', 'h.member_id', 'h.head_name', 'h.phone', 'h.size', 'h.address', 'h.care_tags', 'h.notes', 'h.field_meta',
    'h.archived_at', 'h.updated_at', 'u.name as unit_name', 'u.path as unit_path', 'mu.name as liaison_name', 'mu.phone as liaison_phone',
  ]);
type Selected = Awaited<ReturnType<ReturnType<typeof selectRow>['execute']>>[number];

/** Rows as the desk shows them: full to who administers them, masked as on any list to others. */
async function toAdminHouseholds(db: Db, scope: Scope, rows: Selected[]): Promise<AdminHousehold[]> {
  const paths = rows.map((r) => textToPath(r.unit_path));
  const names = await unitNames(db, paths);
  return rows.map((r, i) => {
    const editable = canAdminUnit(scope, paths[i]!);
    const fieldVersions = Object.fromEntries(Object.keys(HOUSEHOLD_FIELD_POLICIES).map((f) => [f, r.field_meta[f]?.v ?? 0]));
    const h: AdminHousehold = {
      id: r.id, unitId: r.unit_id, unitName: r.unit_name, unitPathNames: paths[i]!.map((id) => names.get(id) ?? ''),
      memberId: r.member_id, liaison: r.member_id ? { memberId: r.member_id, name: r.liaison_name ?? '', phone: r.liaison_phone ?? '' } : null,
      headName: r.head_name, phone: r.phone, size: r.size, address: r.address as unknown as Address, careTags: r.care_tags, notes: r.notes,
      archivedAt: r.archived_at ? r.archived_at.toISOString() : null, updatedAt: r.updated_at.toISOString(), fieldVersions, editable,
    };
    return editable ? h : shownOnList(h, null);
  });
}

/** A page of the households the caller reads, filtered, in unit order then by head name. */
export async function adminHouseholdPage(db: Db, scope: Scope, f: AdminHouseholdQuery): Promise<AdminHouseholdPage> {
  const page = f.page ?? 1;
  const pageSize = f.pageSize ?? 50;
  const { n } = await baseQuery(db, scope, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await selectRow(baseQuery(db, scope, f))
    .orderBy('u.path').orderBy('h.head_name').orderBy('h.id')
    .limit(pageSize).offset((page - 1) * pageSize)
    .execute();
  return { total: Number(n), page, pageSize, households: await toAdminHouseholds(db, scope, rows) };
}

/** One household as the desk shows it, if the caller reads it. */
export async function adminHousehold(db: Db, scope: Scope, id: string): Promise<AdminHousehold | undefined> {
  const rows = await selectRow(baseQuery(db, scope, { archived: 'all' }).where('h.id', '=', id)).execute();
  return (await toAdminHouseholds(db, scope, rows))[0];
}
