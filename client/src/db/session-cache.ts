import type { MeReply } from '@shared/schemas/account.ts';

/**
 * Where the session lives between launches, so the app opens offline. localStorage for now;
 * the Dexie issue moves it into the `meta` table — hence the async signatures already. Client
 * ids are per user: db/device-users.ts.
 */
export interface CachedSession {
  token: string;
  me: MeReply | null;
}

const SESSION_KEY = 'lianxin.session';

// Private browsing or a full disk can make storage throw; the app still runs for this visit.
function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export async function loadSession(): Promise<CachedSession | null> {
  const raw = storage()?.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as CachedSession;
    return typeof parsed.token === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

export async function saveSession(session: CachedSession): Promise<void> {
  try {
    storage()?.setItem(SESSION_KEY, JSON.stringify(session));
  } catch {
    // Quota exceeded: the session still works until the app is closed.
  }
}

export async function clearSession(): Promise<void> {
  storage()?.removeItem(SESSION_KEY);
}
