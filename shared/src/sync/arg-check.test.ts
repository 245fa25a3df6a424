import { describe, expect, it } from 'vitest';
import { isInFuture, FUTURE_TOLERANCE_MS } from '../domain/record-time.ts';
import { argErrors, maxLengthOf } from './arg-check.ts';
import { validateArgs } from './mutators.ts';

const id = '01890000-0000-7000-8000-000000000000';
const visit = (over: Record<string, unknown>) => ({
  id, householdId: id, visitedAt: '2026-03-01T08:00:00.000Z', method: 'in_person', duty: 'policy', summary: '了解情况', followUp: false, ...over,
});

describe('a form’s arguments checked at the field, in Chinese', () => {
  it('names no JSON pointer and no English: each problem sits under its own field', () => {
    expect(argErrors('visit.create', visit({ summary: 'x'.repeat(4001) }))).toEqual({ summary: '不能超过 4000 个字' });
    expect(argErrors('visit.create', visit({ summary: '铃声\u0007', concerns: '半个\uD83D' }))).toEqual({
      summary: '含有不能保存的字符（如控制字符），请删除后再保存',
      concerns: '含有不能保存的字符（如控制字符），请删除后再保存',
    });
    expect(argErrors('dispute.open', { id, householdIds: [id], category: 'neighbour', description: '', openedAt: '2026-03-01T08:00:00Z' })).toEqual({ description: '不能为空' });
    expect(argErrors('dispute.open', { id, householdIds: [id], category: 'neighbour', description: 'x', otherParties: ['张\n三'], openedAt: '2026-03-01T08:00:00Z' })).toEqual({
      otherParties: '只能填一行，且不能含有控制字符',
    });
  });

  it('says what a phone number should look like instead of quoting the pattern', () => {
    const args = { id, changes: { phone: { value: '123', baseVersion: 0 } } };
    expect(argErrors('household.update', args)).toEqual({ phone: '格式不正确，应为11位手机号' });
    expect(argErrors('household.update', args, 'en')).toEqual({ phone: 'has the wrong form: expected an 11-digit mobile number' });
    expect(() => validateArgs('household.update', args)).toThrow('联系电话：格式不正确，应为11位手机号');
    expect(argErrors('household.update', { id, changes: { size: { value: 0, baseVersion: 0 } } })).toEqual({ size: '不能小于 1' });
  });

  it('finds nothing wrong with good arguments', () => {
    expect(argErrors('visit.create', visit({}))).toEqual({});
    expect(argErrors('mediation.add', { id, disputeId: id, mediatedAt: '2026-03-01T08:00:00Z', mediatorIds: [id], summary: '协商', agreementReached: true })).toEqual({});
  });
});

describe('limits come from the schema', () => {
  it('gives each text input the length the server accepts', () => {
    expect(maxLengthOf('visit.create', 'summary')).toBe(4000);
    expect(maxLengthOf('visit.create', 'concerns')).toBe(4000);
    expect(maxLengthOf('dispute.open', 'description')).toBe(4000);
    expect(maxLengthOf('mediation.add', 'summary')).toBe(4000);
    expect(maxLengthOf('household.update', 'changes.notes.value')).toBe(2000);
    expect(maxLengthOf('household.update', 'changes.headName.value')).toBe(60);
    expect(maxLengthOf('household.update', 'changes.phone.value')).toBeUndefined();
  });

  it('a time later than the clock beyond the tolerance is in the future', () => {
    const now = Date.parse('2026-03-01T08:00:00Z');
    expect(isInFuture(new Date(now + FUTURE_TOLERANCE_MS).toISOString(), now)).toBe(false);
    expect(isInFuture(new Date(now + FUTURE_TOLERANCE_MS + 1000).toISOString(), now)).toBe(true);
    expect(isInFuture('2031-01-01T00:00:00Z', now)).toBe(true);
  });
});
