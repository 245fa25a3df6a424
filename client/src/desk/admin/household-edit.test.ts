import { describe, expect, it } from 'vitest';
import type { AdminHousehold } from '@shared/schemas/admin-households.ts';
import { householdChanges } from './household-edit.ts';

const h: AdminHousehold = {
  id: 'h1', unitId: 'u1', unitName: '第一组', unitPathNames: ['区', '镇', '村', '第一组'], memberId: null, liaison: null,
  headName: '张三', phone: '13900000001', size: 3, address: { kind: 'village', houseNumber: '12' }, careTags: ['veteran', 'migrant'],
  notes: '', archivedAt: null, updatedAt: '2025-01-01T00:00:00Z', fieldVersions: { headName: 2, size: 1, careTags: 4 }, editable: true,
};
const same = { headName: h.headName, phone: h.phone, size: h.size, address: h.address, careTags: h.careTags, notes: h.notes };

describe('household edit from the desk', () => {
  it('sends only the fields changed, each with the version the admin saw', () => {
    expect(householdChanges(h, { ...same, size: 4, headName: '张四' })).toEqual({
      size: { value: 4, baseVersion: 1 },
      headName: { value: '张四', baseVersion: 2 },
    });
  });

  it('an unchanged form (care tags merely reordered) sends nothing', () => {
    expect(householdChanges(h, { ...same, careTags: ['migrant', 'veteran'] })).toBeNull();
  });

  it('a field never edited before goes with version 0', () => {
    expect(householdChanges(h, { ...same, phone: null })).toEqual({ phone: { value: null, baseVersion: 0 } });
  });
});
