import type { AdminHousehold } from '@shared/schemas/admin-households.ts';
import type { Address } from '@shared/schemas/household.ts';

/** The fields of a household the desk's edit form holds. */
export interface HouseholdFields {
  headName: string;
  phone: string | null;
  size: number;
  address: Address;
  careTags: string[];
  notes: string;
}

type Changes = Partial<Record<keyof HouseholdFields, { value: unknown; baseVersion: number }>>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
// Care tags are a set: order does not make an edit.
const normal = (field: keyof HouseholdFields, v: unknown) => (field === 'careTags' ? [...(v as string[])].sort() : v);

/**
 * The field edits the form makes, each with the version the admin was looking at, so the
 * server merges them with phones' edits by the field rule; null when nothing changed.
 */
export function householdChanges(before: AdminHousehold, after: HouseholdFields): Changes | null {
  const changes: Changes = {};
  for (const field of Object.keys(after) as (keyof HouseholdFields)[]) {
    if (same(normal(field, before[field]), normal(field, after[field]))) continue;
    changes[field] = { value: after[field], baseVersion: before.fieldVersions[field] ?? 0 };
  }
  return Object.keys(changes).length ? changes : null;
}
