import { describe, expect, it } from 'vitest';
import { careTagLabel, formatAddress, isSensitiveTag, langOf } from './format.ts';

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
