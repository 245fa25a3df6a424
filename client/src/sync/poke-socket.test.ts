import { afterEach, describe, expect, it, vi } from 'vitest';
import { openPokeSocket } from './poke-socket.ts';
import { FakeSocket, fakeBrowser as browser } from './testing/fake-socket.ts';

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

  it('tells when it is back after being down (dropped, or failing to connect), not on the first open', () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(1);
    browser();
    const onReconnect = vi.fn();
    const close = openPokeSocket(() => 't', () => {}, onReconnect);
    FakeSocket.all[0]!.open();
    expect(onReconnect).not.toHaveBeenCalled(); // the first connection: the engine syncs on start anyway
    FakeSocket.all[0]!.drop(); // the server went away
    vi.advanceTimersByTime(1000);
    FakeSocket.all[1]!.drop(); // still away
    vi.advanceTimersByTime(2000);
    expect(onReconnect).not.toHaveBeenCalled();
    FakeSocket.all[2]!.open(); // back
    expect(onReconnect).toHaveBeenCalledTimes(1);
    FakeSocket.all[2]!.say('{"type":"hello"}');
    expect(onReconnect).toHaveBeenCalledTimes(1);
    close();
  });

  it('a first connection that only succeeds after failed tries is a return too', () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(1);
    browser();
    const onReconnect = vi.fn();
    const close = openPokeSocket(() => 't', () => {}, onReconnect);
    FakeSocket.all[0]!.drop(); // the server was down when the app started
    vi.advanceTimersByTime(1000);
    FakeSocket.all[1]!.open();
    expect(onReconnect).toHaveBeenCalledTimes(1);
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
