import type { MutatorTx } from './mutator-tx.ts';
import { kindOf } from './registry.ts';

type Row = Record<string, unknown>;
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

/**
 * Where a record belongs, read from its kind's visibility rules: the households it concerns
 * (a household may not leave a phone while work for them waits) and the unit whose supervisors
 * see it (a conflict about it is reviewed there). Both sides use it, each over its own rows.
 */
export async function recordHome(tx: Pick<MutatorTx, 'get'>, table: string, row: Row): Promise<{ householdIds: string[]; unitId: string | null }> {
  const householdIds: string[] = [];
  let unitId: string | null = null;
  for (const rule of kindOf(table).visibility) {
    if (rule.by === 'household') {
      for (const id of ids(row[rule.field])) {
        householdIds.push(id);
        unitId ??= ((await tx.get('households', id)) as { unitId?: string } | undefined)?.unitId ?? null;
      }
    } else if (rule.by === 'households') {
      householdIds.push(...ids(row[rule.field]));
      unitId ??= ids(row[rule.unit])[0] ?? null;
    } else if (rule.by === 'parent') {
      const parentId = ids(row[rule.field])[0];
      const parent = parentId ? ((await tx.get(rule.table as 'units', parentId)) as Row | undefined) : undefined;
      if (parent) {
        const home = await recordHome(tx, rule.table, parent);
        householdIds.push(...home.householdIds);
        unitId ??= home.unitId;
      }
    } else if (rule.by === 'unit') {
      unitId ??= ids(row[rule.field])[0] ?? null;
    } else {
      unitId ??= ids(row[rule.unit])[0] ?? null;
    }
  }
  return { householdIds: [...new Set(householdIds)], unitId };
}
