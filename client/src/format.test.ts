import { describe, expect, it } from 'vitest';
import { careTagLabel, formatAddress, isSensitiveTag, langOf, fieldLabel, fieldValue } from './format.ts';

describe('formatAddress', () => {
  it('adds the grid suffixes only where they are missing', () => {
    expect(formatAddress({ kind: 'village', houseNumber: '12' })).toBe('12号');
    expect(formatAddress({ kind: 'village', houseNumber: '12号' })).toBe('12号');
    expect(formatAddress({ kind: 'urban', building: '3', entrance: '2', room: '502' })).toBe('3栋2单元502');
    expect(formatAddress({ kind: 'urban', building: '3号楼', entrance: '2单元', room: '502' })).toBe('3号楼2单元502');
  });

  it('strips Chinese suffixes for English', () => {
    expect(formatAddress({ kind: 'village', houseNumber: '12号' }, 'en')).toBe('No. 12');
    expect(formatAddress({ kind: 'urban', building: '3栋', entrance: '2单元', room: '502室' }, 'en')).toBe('Bldg 3, Unit 2, Rm 502');
  });
});

describe('care tags', () => {
  it('labels known tags in both languages and passes unknown codes through', () => {
    expect(careTagLabel('empty_nest')).toBe('空巢老人');
    expect(careTagLabel('empty_nest', 'en')).toMatch(/empty/i);
    expect(careTagLabel('made_up_tag')).toBe('made_up_tag');
  });

  it('marks health and income tags as sensitive', () => {
    expect(isSensitiveTag('serious_illness')).toBe(true);
    expect(isSensitiveTag('empty_nest')).toBe(false);
  });
});

it('maps locales to the shared lists language', () => {
  expect(langOf('en')).toBe('en');
  expect(langOf('en-US')).toBe('en');
  expect(langOf('zh-CN')).toBe('zh');
});

describe('conflict fields as people read them', () => {
  it('names a field by its kind’s label and never by its code', () => {
    expect(fieldLabel('households', 'headName')).toBe('户主姓名');
    expect(fieldLabel('households', 'headName', 'en')).toBe('Head of household');
    expect(fieldLabel('disputes', 'status')).toBe('办理状态');
    expect(fieldLabel('households', 'fieldMeta')).toBe('其他内容');
    expect(fieldLabel('no_such_kind', 'x')).toBe('其他内容');
  });

  it('shows statuses, care tags, flags and addresses by their names', () => {
    expect(fieldValue('disputes', 'status', 'escalated')).toBe('上报');
    expect(fieldValue('households', 'careTags', ['dibao', 'empty_nest'])).toMatch(/^低保户、/);
    expect(fieldValue('households', 'address', { kind: 'village', houseNumber: '12号' })).toBe('12号');
    expect(fieldValue('visits', 'followUp', true)).toBe('是');
    expect(fieldValue('households', 'phone', null)).toBe('—');
  });
});
