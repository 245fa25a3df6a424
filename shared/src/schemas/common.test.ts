import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { IsoDateTime, Line, Text } from './common.ts';

describe('text a person types', () => {
  it('refuses what PostgreSQL or Unicode cannot hold, and keeps emoji, Chinese and line breaks', () => {
    const text = Text(100);
    for (const ok of ['了解到老人腿脚不便', 'two\nlines\tand a tab', '😀👍🏻', '']) expect(Value.Check(text, ok)).toBe(true);
    for (const bad of ['a\u0000b', 'half \uD83D emoji', '\uDE00', 'bell\u0007', 'del\u007F']) expect(Value.Check(text, bad)).toBe(false);
  });
  it('keeps one-line fields on one line', () => {
    expect(Value.Check(Line(20), '张三')).toBe(true);
    expect(Value.Check(Line(20), '张\n三')).toBe(false);
  });
});

describe('instants', () => {
  it('accepts the times a phone sends and refuses those JavaScript or PostgreSQL cannot read back', () => {
    for (const ok of ['2026-11-23T08:30:00.000Z', '2026-11-23T16:30:00+08:00', '2026-02-28T23:59:59Z']) expect(Value.Check(IsoDateTime, ok)).toBe(true);
    for (const bad of ['0000-01-01T00:00:00Z', '2026-11-23T23:59:60Z', '2026-02-30T10:00:00Z', '2026-11-23', '12026-01-01T00:00:00Z', '1999-12-31T23:59:59Z']) {
      expect(Value.Check(IsoDateTime, bad)).toBe(false);
    }
  });
});
