/**
 * Hybrid logical clock (Kulkarni et al.): wall time in ms, a counter for events within the
 * same ms (or while the wall clock runs behind the last stamp), and the client id to break ties.
 * A phone whose clock jumps back still stamps its own work in order, because the clock never
 * goes below the last stamp it issued or saw.
 */
export interface Hlc {
  wall: number;
  counter: number;
  node: string;
}

/** Fixed-width text form `0000017f2a3b4c5d-0000-node` that sorts as the clock orders. */
export function formatHlc(h: Hlc): string {
  return `${h.wall.toString(16).padStart(16, '0')}-${h.counter.toString(16).padStart(4, '0')}-${h.node}`;
}

export function parseHlc(text: string): Hlc {
  const [wall, counter, ...node] = text.split('-');
  if (!wall || !counter || !node.length || !/^[0-9a-f]{16}$/.test(wall) || !/^[0-9a-f]{4}$/.test(counter)) {
    throw new Error(`not an HLC stamp: ${text}`);
  }
  return { wall: parseInt(wall, 16), counter: parseInt(counter, 16), node: node.join('-') };
}

export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A clock for one node: `tick()` stamps a local event, `observe()` takes in a remote stamp. */
export class HlcClock {
  private last: Hlc;
  constructor(
    readonly node: string,
    private readonly wallClock: () => number = Date.now,
    last?: string,
  ) {
    this.last = last ? parseHlc(last) : { wall: 0, counter: 0, node };
  }

  tick(): string {
    const now = this.wallClock();
    this.last = now > this.last.wall ? { wall: now, counter: 0, node: this.node } : { wall: this.last.wall, counter: this.last.counter + 1, node: this.node };
    return formatHlc(this.last);
  }

  observe(stamp: string): void {
    const remote = parseHlc(stamp);
    const now = this.wallClock();
    const wall = Math.max(now, this.last.wall, remote.wall);
    const counter =
      wall === this.last.wall && wall === remote.wall ? Math.max(this.last.counter, remote.counter) + 1
      : wall === this.last.wall ? this.last.counter + 1
      : wall === remote.wall ? remote.counter + 1
      : 0;
    this.last = { wall, counter, node: this.node };
  }

  /** The last stamp issued, to persist across restarts. */
  get lastStamp(): string {
    return formatHlc(this.last);
  }
}

/** A stamp more than this far ahead of the server's clock is clamped to server time and reported. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Clamps a client's stamp that runs far ahead of the server; says whether it did. */
export function clampHlc(stamp: string, serverNow: number): { stamp: string; clamped: boolean; skewMs: number } {
  const h = parseHlc(stamp);
  const skewMs = h.wall - serverNow;
  if (skewMs <= MAX_CLOCK_SKEW_MS) return { stamp, clamped: false, skewMs };
  return { stamp: formatHlc({ wall: serverNow, counter: h.counter, node: h.node }), clamped: true, skewMs };
}
