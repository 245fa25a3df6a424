import { afterEach, describe, expect, it, vi } from 'vitest';
import { openPokeSocket } from './poke-socket.ts';

/** Just enough of a browser WebSocket to drive the poke socket. */
class FakeSocket {
  static all: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  close() {
    this.closed = true;
  }
  // What the server and the network do:
  open() {
    this.onopen?.();
  }
  say(data: string) {
    this.onmessage?.({ data });
  }
  drop(code = 1006) {
    this.onclose?.({ code });
  }
}

function browser(onLine = true) {
  FakeSocket.all = [];
  const win = new EventTarget();
  vi.stubGlobal('WebSocket', FakeSocket);
  vi.stubGlobal('location', { origin: 'https://lianxin.example.cn' });
  vi.stubGlobal('navigator', { onLine });
  vi.stubGlobal('addEventListener', win.addEventListener.bind(win));
  vi.stubGlobal('removeEventListener', win.removeEventListener.bind(win));
  return win;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('poke socket', () => {
  it('opens the socket with the token and calls back on a poke only', () => {
    browser();
    const onPoke = vi.fn();
    const close = openPokeSocket(() => 'tok en', onPoke);
    expect(FakeSocket.all.map((s) => s.url)).toEqual(['wss://lianxin.example.cn/api/sync/poke?token=tok%20en']);
    const s = FakeSocket.all[0]!;
    s.open();
    s.say('{"type":"hello"}');
    s.say('not json');
    expect(onPoke).not.toHaveBeenCalled();
    s.say('{"type":"poke"}');
    expect(onPoke).toHaveBeenCalledTimes(1);
    close();
    expect(s.closed).toBe(true);
  });

  it('reconnects with growing delays after a drop, and not after a refused token or once closed', () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(1); // no jitter: the full delay
    browser();
    const close = openPokeSocket(() => 't', () => {});
    FakeSocket.all[0]!.drop();
    vi.advanceTimersByTime(999);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1]!.drop();
    vi.advanceTimersByTime(1999);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(3);
    FakeSocket.all[2]!.drop(4401); // the server refused the token: retrying will not help
    vi.advanceTimersByTime(10 * 60_000);
    expect(FakeSocket.all).toHaveLength(3);
    close();
  });

  it('waits for the network when offline, then connects on `online`', () => {
    const win = browser(false);
    const close = openPokeSocket(() => 't', () => {});
    expect(FakeSocket.all).toHaveLength(0);
    (globalThis.navigator as { onLine: boolean }).onLine = true;
    win.dispatchEvent(new Event('online'));
    expect(FakeSocket.all).toHaveLength(1);
    close();
    win.dispatchEvent(new Event('online'));
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('does nothing where there is no WebSocket or no page (Node, tests)', () => {
    vi.stubGlobal('WebSocket', undefined);
    const close = openPokeSocket(() => 't', () => {});
    expect(() => close()).not.toThrow();
  });
});
