import { vi } from 'vitest';

/** Just enough of a browser WebSocket to drive the poke socket. */
export class FakeSocket {
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

/** A page with WebSocket, location, navigator and window events; returns the window's events. */
export function fakeBrowser(onLine = true): EventTarget {
  FakeSocket.all = [];
  const win = new EventTarget();
  vi.stubGlobal('WebSocket', FakeSocket);
  vi.stubGlobal('location', { origin: 'https://lianxin.example.cn' });
  vi.stubGlobal('navigator', { onLine });
  vi.stubGlobal('addEventListener', win.addEventListener.bind(win));
  vi.stubGlobal('removeEventListener', win.removeEventListener.bind(win));
  return win;
}
