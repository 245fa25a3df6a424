import { describe, expect, it } from 'vitest';
import { assertMayAct, type DisputeRow } from '../kinds/disputes.ts';
import type { MutatorContext, MutatorTx } from '../sync/mutator-tx.ts';
import { DomainError } from '../errors.ts';
import { disputeActions, mayActOnDispute, type DisputeActor } from './dispute-actions.ts';
import { DISPUTE_STATUSES, DISPUTE_TRANSITIONS } from './dispute.ts';
import type { Scope } from './scope.ts';

// district → town → village → villager group (the parties' branch)
const [district, town, village, branch] = ['d', 't', 'v', 'b'];
const branchPath = [district, town, village, branch];
const atBranch = { status: 'open' as const, unitId: branch, branchUnitId: branch, unitPath: branchPath };
const escalated = { status: 'escalated' as const, unitId: village, branchUnitId: branch, unitPath: [district, town, village] };
const liaison: DisputeActor = { supervisesHandler: false, liaisonOfParty: true };
const supervisor: DisputeActor = { supervisesHandler: true, liaisonOfParty: false };
const stranger: DisputeActor = { supervisesHandler: false, liaisonOfParty: false };

describe('which actions a person may take on a dispute', () => {
  it("a party's liaison member is offered the life cycle's moves while the branch handles it", () => {
    for (const status of DISPUTE_STATUSES) {
      expect(disputeActions({ ...atBranch, status }, liaison)).toEqual({ moves: DISPUTE_TRANSITIONS[status], mediate: true });
    }
  });

  it('once escalated, the liaison member is offered no move, but may still log a mediation that happened', () => {
    expect(disputeActions(escalated, liaison)).toEqual({ moves: [], mediate: true });
    expect(mayActOnDispute(escalated, liaison)).toEqual({ may: false, code: 'DISPUTE_NOT_AT_YOUR_TIER' });
  });

  it('a supervisor at the handling tier or above may move it, sending it back down included', () => {
    expect(disputeActions(escalated, supervisor).moves).toEqual(['mediating', 'resolved', 'escalated', 'closed', 'open']);
  });

  it('someone neither supervising the handler nor looking after a party is offered nothing', () => {
    expect(disputeActions(atBranch, stranger)).toEqual({ moves: [], mediate: false });
    expect(disputeActions(escalated, stranger)).toEqual({ moves: [], mediate: false });
  });

  it('nobody escalates from the top of the tree, and a closed dispute has no move left', () => {
    const atTop = { status: 'escalated' as const, unitId: district, branchUnitId: branch, unitPath: [district] };
    expect(disputeActions(atTop, supervisor).moves).not.toContain('escalated');
    expect(disputeActions(atTop, supervisor).moves).toContain('closed');
    expect(disputeActions({ ...atBranch, status: 'closed' }, supervisor).moves).toEqual([]);
  });
});

describe('the mutators and the screen read the same rule', () => {
  const household = { id: 'h1', memberId: 'm1', unitId: branch, unitPath: branchPath };
  const tx = { get: async (_t: string, id: string) => (id === 'h1' ? household : undefined), heldAt: async () => false } as unknown as MutatorTx;
  const scopeAt = (unitId: string | null): Scope => ({
    userId: 'u1', memberId: unitId ? null : 'm1', readRoots: unitId ? [{ unitId, unitPath: branchPath.slice(0, branchPath.indexOf(unitId) + 1) }] : [], adminRoots: [],
  });
  const ctxOf = (scope: Scope): MutatorContext => ({ side: 'server', userId: 'u1', memberId: scope.memberId, scope, hlc: '0000018f00000000-0000-c1', now: new Date().toISOString(), deviceNow: Date.now() });
  const row = (d: typeof atBranch | typeof escalated, householdIds: string[]) => ({ ...d, householdIds, branchPath }) as unknown as DisputeRow;

  it('assertMayAct refuses exactly when the screen offers no move', async () => {
    for (const d of [atBranch, escalated]) {
      for (const where of [null, branch, village, town]) {
        for (const parties of [['h1'], ['other']]) {
          const scope = scopeAt(where);
          const actor = { supervisesHandler: where !== null && d.unitPath.includes(where), liaisonOfParty: where === null && parties[0] === 'h1' };
          const offered = disputeActions(d, actor).moves.length > 0;
          const allowed = await assertMayAct(tx, ctxOf(scope), row(d, parties)).then(
            () => true,
            (err: unknown) => (err instanceof DomainError ? false : Promise.reject(err)),
          );
          expect({ d: d.status, where, parties, allowed }).toEqual({ d: d.status, where, parties, allowed: offered });
        }
      }
    }
  });
});
