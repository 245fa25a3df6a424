import type { HouseholdLimits } from './household.ts';

/**
 * The per-member load rule (每名队员联系3-5户群众) as it judges a change of liaisons: one home
 * for the single assignment, the bulk one and its preview, and archiving.
 */

/** A member whose number of households a change moves from `before` to `after`. */
export interface LoadChange {
  memberId: string;
  name: string;
  before: number;
  after: number;
}

/** A load the change leaves outside the limits but does not forbid. */
export interface LoadWarning {
  code: 'below_min' | 'above_max';
  memberId: string;
  name: string;
  households: number;
  limit: number;
  message: string;
}

/** A change may not give a member more than the maximum (one already over it may still lose some). */
export function overCapacity(limits: HouseholdLimits, load: Pick<LoadChange, 'before' | 'after'>): boolean {
  return load.after > limits.max && load.after > load.before;
}

/** Members the change leaves below the minimum, or still above the maximum, in Chinese. */
export function loadWarnings(limits: HouseholdLimits, loads: readonly LoadChange[]): LoadWarning[] {
  const out: LoadWarning[] = [];
  for (const l of loads) {
    if (l.after < limits.min) {
      const verb = l.after < l.before ? '剩' : '只有';
      out.push({ code: 'below_min', memberId: l.memberId, name: l.name, households: l.after, limit: limits.min, message: `${l.name} ${verb} ${l.after} 户，低于最少 ${limits.min} 户` });
    } else if (l.after > limits.max && !overCapacity(limits, l)) {
      out.push({ code: 'above_max', memberId: l.memberId, name: l.name, households: l.after, limit: limits.max, message: `${l.name} 仍有 ${l.after} 户，超过最多 ${limits.max} 户` });
    }
  }
  return out;
}

/** One household changing hands, by the names of its liaisons before and after (null: nobody). */
export interface NamedMove {
  from: string | null;
  to: string | null;
}

/** The whole change in one sentence: "3 户从 张三 移到 李四；张三 剩 2 户，低于最少 3 户". */
export function assignmentSummary(moves: readonly NamedMove[], warnings: readonly LoadWarning[]): string {
  if (moves.length === 0) return '没有需要变动的住户';
  const groups = new Map<string, { move: NamedMove; n: number }>();
  for (const m of moves) {
    const key = JSON.stringify([m.from, m.to]);
    const g = groups.get(key) ?? { move: m, n: 0 };
    g.n += 1;
    groups.set(key, g);
  }
  const parts = [...groups.values()].map(({ move, n }) =>
    move.from === null ? `${n} 户分配给 ${move.to}` : move.to === null ? `${n} 户不再由 ${move.from} 联系` : `${n} 户从 ${move.from} 移到 ${move.to}`,
  );
  return [...parts, ...warnings.map((w) => w.message)].join('；');
}
