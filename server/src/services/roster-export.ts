import type { Kysely } from 'kysely';
import { canAdminUnit, type Scope } from '@shared/domain/scope.ts';
import type { Address } from '@shared/schemas/household.ts';
import type { Database } from '../db/database.ts';
import { textToPath } from '../db/unit-path.ts';
import * as roster from '../repositories/roster-repository.ts';
import { careTagsText, NO, ROLE_LABELS, YES, type HouseholdKey, type PeopleKey } from './roster-columns.ts';
import { UnitPaths } from './roster-units.ts';
import { buildWorkbook, type Cells } from './roster-workbook.ts';

type Db = Kysely<Database>;

/** The caller's scope as a roster workbook: every active person's roles and every household in it. */
export async function exportRoster(db: Db, scope: Scope): Promise<Buffer> {
  const units = new UnitPaths(await roster.listScopeUnits(db, scope));
  const inScope = (path: string) => canAdminUnit(scope, textToPath(path));
  const people: (Cells<PeopleKey> & { sort: string })[] = [];
  const phoneOfMember = new Map<string, string>();
  for (const p of await roster.listScopePeople(db, scope)) {
    if (p.member && !p.member.retired) phoneOfMember.set(p.member.id, p.phone);
    // A disabled person is kept out: the people screen re-enables them, not a file.
    if (p.disabled) continue;
    if (p.member && !p.member.retired && inScope(p.member.unitPath)) {
      const unit = units.nameOf(p.member.unitId);
      people.push({ name: p.name, phone: p.phone, unit, role: ROLE_LABELS.member, central: p.member.centralHousehold ? YES : NO, sort: `${unit}\u00000` });
    }
    for (const g of p.grants) {
      if (!inScope(g.unitPath)) continue;
      const unit = units.nameOf(g.unitId);
      people.push({ name: p.name, phone: p.phone, unit, role: ROLE_LABELS[g.role], central: '', sort: `${unit}\u0000${g.role === 'admin' ? 2 : 1}` });
    }
  }
  people.sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : String(a.name).localeCompare(String(b.name), 'zh')));

  const households: Cells<HouseholdKey>[] = (await roster.listScopeHouseholds(db, scope)).map((h) => {
    const address = h.address as Address;
    return {
      id: h.id as string,
      headName: h.head_name as string,
      phone: (h.phone as string | null) ?? '',
      unit: units.nameOf(h.unit_id as string),
      houseNumber: address.kind === 'village' ? address.houseNumber : '',
      building: address.kind === 'urban' ? address.building : '',
      entrance: address.kind === 'urban' ? address.entrance : '',
      room: address.kind === 'urban' ? address.room : '',
      size: h.size as number,
      careTags: careTagsText(h.care_tags as string[]),
      memberPhone: h.member_id ? (phoneOfMember.get(h.member_id as string) ?? '') : '',
      notes: h.notes as string,
    };
  });
  return buildWorkbook(people.map(({ sort: _, ...cells }) => cells), households);
}

/** The empty roster with its 说明 sheet. */
export const rosterTemplate = () => buildWorkbook([], []);
