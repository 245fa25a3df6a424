import type { PokeMessage } from '@shared/sync/protocol.ts';

/**
 * Keeps the poke socket open while online: the server sends `{type: "poke"}` after a commit
 * that touched this user's scope, and the engine pulls. Pokes can be missed (a dead socket,
 * a phone asleep); the engine's timer and triggers cover that, so this only has to be cheap.
 * `onReconnect` runs when the socket opens after having been down (dropped, or failing to
 * connect): the server is reachable again and pokes may have been missed meanwhile.
 */
export function openPokeSocket(token: () => string | null, onPoke: () => void, onReconnect: () => void = () => {}): () => void {
  const g = globalThis as unknown as { WebSocket?: typeof WebSocket; location?: Location; navigator?: Navigator };
  if (!g.WebSocket || !g.location) return () => {};
  let socket: WebSocket | null = null;
  let closed = false;
  let attempts = 0;
  /** Down since the last open, or never open after failed tries: the next open is a return. */
  let wasDown = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const connect = () => {
    const t = token();
    if (closed || socket || !t) return;
    if (g.navigator && !g.navigator.onLine) return; // the `online` event reconnects
    const url = `${g.location!.origin.replace(/^http/, 'ws')}/api/sync/poke?token=${encodeURIComponent(t)}`;
    socket = new g.WebSocket!(url);
    socket.onopen = () => {
      attempts = 0;
      if (!wasDown) return;
      wasDown = false;
      onReconnect();
    };
    socket.onmessage = (e) => {
      try {
        if ((JSON.parse(String(e.data)) as Partial<PokeMessage>).type === 'poke') onPoke();
      } catch {
        // not ours
      }
    };
    socket.onclose = (e) => {
      socket = null;
      wasDown = true;
      if (closed || e.code === 4401) return; // a refused token does not get better by retrying
      // Jittered, so a restarted server is not met by every phone in the same instant.
      const delay = Math.min(60_000, 1000 * 2 ** attempts++) * (0.5 + Math.random() / 2);
      timer = setTimeout(connect, delay);
    };
  };
  const online = () => {
    if (socket) return;
    if (timer) clearTimeout(timer); // the network is back: no need to wait out the delay
    timer = null;
    attempts = 0;
    connect();
  };
  globalThis.addEventListener?.('online', online);
  connect();
  return () => {
    closed = true;
    if (timer) clearTimeout(timer);
    globalThis.removeEventListener?.('online', online);
    socket?.close();
  };
}

/** Something the poke socket drives: a pull on a poke, a sync with a fresh backoff on a return. */
export interface PokeTarget {
  poke(): void;
  syncNow(): Promise<void>;
}

/** Connects the poke socket to a sync engine (the app's wiring, kept here so it is tested). */
export function pokeEngine(token: () => string | null, engine: PokeTarget, onPoke: () => void = () => {}): () => void {
  return openPokeSocket(
    token,
    () => {
      onPoke();
      engine.poke();
    },
    () => void engine.syncNow(),
  );
}
