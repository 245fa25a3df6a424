import { uuidv7 } from '@shared/uuid.ts';

/**
 * Everyone who has logged in on this browser, with what the app needs to know about them
 * while they are logged out (issue 8, items 2 and 10):
 * - `clientId`: their own copy of the app (GLOSSARY: client). The server binds a client id to
 *   the first user who syncs with it and counts mutation ids per client, so an id is never
 *   handed to another user; a shared phone has one id per person.
 * - `pending`, `held`: what their IndexedDB store last held — unsent records, and whether it
 *   had ever synced. Kept here, outside IndexedDB, so the login screen can say whose work waits
 *   on the phone, and so the app notices when the browser erased the store under it.
 * localStorage, because it is read before anyone logs in and survives the store it describes.
 */
export interface DeviceUser {
  userId: string;
  name: string;
  phone: string;
  clientId: string;
  pending: number;
  held: boolean;
  /** The store was found erased, with this many unsent records lost; shown until dismissed. */
  erasedLost?: number | null;
}

const USERS_KEY = 'lianxin.deviceUsers';
/** Before issue 8 the id was one per browser; it goes to the first user who logs in after. */
const LEGACY_CLIENT_ID_KEY = 'lianxin.clientId';

// Private browsing or a full disk can make storage throw; the app still runs for this visit.
function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function readAll(): Record<string, DeviceUser> {
  try {
    const parsed: unknown = JSON.parse(storage()?.getItem(USERS_KEY) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, DeviceUser>) : {};
  } catch {
    return {};
  }
}

function writeAll(users: Record<string, DeviceUser>): void {
  try {
    storage()?.setItem(USERS_KEY, JSON.stringify(users));
  } catch {
    // Quota exceeded: the ids still work for this visit; a lost id is a new device to the server.
  }
}

// randomUUID exists only in secure contexts; a LAN test over plain http still needs an id.
const freshId = (): string => globalThis.crypto.randomUUID?.() ?? uuidv7();

/** Everyone known on this browser. */
export function deviceUsers(): DeviceUser[] {
  return Object.values(readAll());
}

export function deviceUser(userId: string): DeviceUser | undefined {
  return readAll()[userId];
}

/** Others whose unsent records wait on this phone (the login screen and 我的 name them). */
export function othersWithPending(userId: string | null): DeviceUser[] {
  return deviceUsers().filter((u) => u.userId !== userId && u.pending > 0);
}

/** The pre-issue-8 browser-wide id, if no user has taken it yet. */
function legacyId(): string | null {
  const legacy = storage()?.getItem(LEGACY_CLIENT_ID_KEY) ?? null;
  return legacy && !deviceUsers().some((u) => u.clientId === legacy) ? legacy : null;
}

/**
 * The id to log in with, before we know who the phone number belongs to: the id of the known
 * user with this phone, else the browser's old shared id (most phones had one user), else a new
 * one. Nothing is stored until the login succeeds (`rememberUser`).
 */
export function clientIdForLogin(phone: string): string {
  return deviceUsers().find((u) => u.phone === phone)?.clientId ?? legacyId() ?? freshId();
}

/**
 * After the server said who logged in: the id their session must be bound to. Theirs if known
 * (their phone number may have changed); else the one logged in with, unless it is someone
 * else's (a phone number passed on to another person); then a new one.
 */
export function ownClientId(userId: string, loggedInWith: string): string {
  const all = readAll();
  const known = all[userId];
  if (known) return known.clientId;
  return Object.values(all).some((u) => u.clientId === loggedInWith) ? freshId() : loggedInWith;
}

/** Records who logged in and the id their session is bound to (from `ownClientId`). */
export function rememberUser(user: { userId: string; name: string; phone: string }, clientId: string): DeviceUser {
  const all = readAll();
  const entry: DeviceUser = { pending: 0, held: false, ...all[user.userId], ...user, clientId };
  all[user.userId] = entry;
  writeAll(all);
  if (storage()?.getItem(LEGACY_CLIENT_ID_KEY) === clientId) storage()?.removeItem(LEGACY_CLIENT_ID_KEY);
  return entry;
}

/** The id of a user whose session was cached (a reload): theirs, or the old browser-wide one. */
export function clientIdOf(user: { id: string; name: string; phone: string }): string {
  const known = deviceUser(user.id);
  if (known) return known.clientId;
  // A session cached by the app before issue 8 was bound to the browser-wide id.
  return rememberUser({ userId: user.id, name: user.name, phone: user.phone }, legacyId() ?? freshId()).clientId;
}

/**
 * The server says the id belongs to another user (an id from before issue 8, shared by
 * everyone on the browser): this user gets a fresh one. Their store keeps its records and
 * renumbers them for the new id; the session, bound to the old id, must be renewed by logging in.
 */
export function renewClientId(userId: string): string {
  const all = readAll();
  const entry = all[userId];
  const id = freshId();
  if (entry) {
    all[userId] = { ...entry, clientId: id };
    writeAll(all);
  }
  return id;
}

type HeldFacts = Pick<DeviceUser, 'pending' | 'held' | 'erasedLost'>;

/** Updates what the user's store holds (pending count, whether it ever synced, erasure notice). */
export function noteHeld(userId: string, patch: Partial<HeldFacts>): void {
  const all = readAll();
  const entry = all[userId];
  if (!entry) return;
  const keys = Object.keys(patch) as (keyof HeldFacts)[];
  if (keys.every((k) => (patch[k] ?? null) === (entry[k] ?? null))) return; // written on every count: skip no-ops
  all[userId] = { ...entry, ...patch };
  writeAll(all);
}

/**
 * Opening a user's store: if it is empty — no device facts, nothing queued — while this
 * marker says it held synced data or unsent work, the browser (or someone clearing site data)
 * erased it under the app. Returns how many unsent records were lost, or null if nothing was
 * erased; the notice is kept until the member dismisses it, and the marker starts over.
 */
export function detectErasure(userId: string, storeIsEmpty: boolean): number | null {
  const entry = deviceUser(userId);
  if (!entry) return null;
  if (storeIsEmpty && (entry.held || entry.pending > 0)) {
    noteHeld(userId, { pending: 0, held: false, erasedLost: entry.pending });
    return entry.pending;
  }
  return entry.erasedLost ?? null;
}
