import { describe, expect, it } from 'vitest';
import { clampHlc, compareHlc, formatHlc, HlcClock, parseHlc } from './hlc.ts';

describe('hybrid logical clock', () => {
  it('orders a phone\'s own work even when its wall clock jumps back', () => {
    let wall = 1_000_000;
    const clock = new HlcClock('phone-a', () => wall);
    const a = clock.tick();
    wall -= 60_000; // the user sets the clock back a minute
    const b = clock.tick();
    const c = clock.tick();
    expect(compareHlc(a, b)).toBe(-1);
    expect(compareHlc(b, c)).toBe(-1);
  });

  it('moves past a remote stamp it has seen', () => {
    const clock = new HlcClock('phone-a', () => 10);
    const remote = formatHlc({ wall: 5_000, counter: 3, node: 'phone-b' });
    clock.observe(remote);
    expect(compareHlc(remote, clock.tick())).toBe(-1);
  });

  it('survives a restart from its last stamp', () => {
    const first = new HlcClock('n', () => 100);
    first.tick();
    const stamp = first.tick();
    const again = new HlcClock('n', () => 50, stamp);
    expect(compareHlc(stamp, again.tick())).toBe(-1);
  });

  it('round-trips through text, with node ids that contain dashes', () => {
    const h = { wall: 1_732_000_000_000, counter: 7, node: '0190-abc-def' };
    expect(parseHlc(formatHlc(h))).toEqual(h);
    expect(() => parseHlc('garbage')).toThrow();
  });

  it('clamps a stamp far ahead of the server and leaves a near one alone', () => {
    const server = 1_000_000_000;
    const near = formatHlc({ wall: server + 1000, counter: 0, node: 'n' });
    expect(clampHlc(near, server)).toEqual({ stamp: near, clamped: false, skewMs: 1000 });
    const far = clampHlc(formatHlc({ wall: server + 86_400_000, counter: 2, node: 'n' }), server);
    expect(far.clamped).toBe(true);
    expect(parseHlc(far.stamp).wall).toBe(server);
    expect(far.skewMs).toBe(86_400_000);
  });
});
