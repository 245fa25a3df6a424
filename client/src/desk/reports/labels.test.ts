import { describe, expect, it } from 'vitest';
import { DISPUTE_RISK_LEVELS } from '@shared/domain/lists.ts';
import '@shared/kinds/index.ts';
import { householdText, riskLabel, syncState } from './labels.ts';
import { mutationLabel, mutationStatusLabel } from '../../format.ts';

describe('desk report labels', () => {
  it('every risk level reads in words in both languages, never as its code', () => {
    for (const { code } of DISPUTE_RISK_LEVELS) {
      for (const lang of ['zh', 'en'] as const) expect(riskLabel(code, lang)).not.toBe(code);
    }
    expect(riskLabel('yellow', 'zh')).toBe('黄色（一般）');
  });

  it('a device that never synced is not called stale, and a revoked one is neither', () => {
    expect(syncState({ revoked: null, neverSynced: true, stale: false })).toBe('never');
    expect(syncState({ revoked: null, neverSynced: false, stale: true })).toBe('stale');
    expect(syncState({ revoked: 'lost', neverSynced: false, stale: true })).toBe('revoked');
    expect(syncState({ revoked: null, neverSynced: false, stale: false })).toBe('ok');
  });

  it('names a household by its head and address, and a change by what it did', () => {
    const h = { householdId: 'x', headName: '王大明', unitName: '石岭村第一村民小组', address: { kind: 'village' as const, houseNumber: '12' } };
    expect(householdText(h, 'zh')).toBe('王大明 · 石岭村第一村民小组 12号');
    expect(mutationLabel('conflict.resolve', 'zh')).toBe('处理冲突');
    expect(mutationLabel('no.such', 'zh')).toBe('其他修改');
    expect(mutationStatusLabel('rejected', 'zh')).toBe('被退回');
  });
});
