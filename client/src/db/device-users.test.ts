import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stubLocalStorage } from '../sync/testing/memory-storage.ts';
import { clientIdForLogin, clientIdOf, detectErasure, deviceUser, noteHeld, othersWithPending, ownClientId, rememberUser, renewClientId } from './device-users.ts';

const wang = { userId: 'u-wang', name: '王党员', phone: '13800001002' };
const li = { userId: 'u-li', name: '李党员', phone: '13800001001' };

/** A login as the session store does it: guess by phone, then settle on the user's own id. */
function login(user: typeof wang): string {
  const own = ownClientId(user.userId, clientIdForLogin(user.phone));
  return rememberUser(user, own).clientId;
}

let storage: Storage;
beforeEach(() => {
  storage = stubLocalStorage();
});
afterEach(() => vi.unstubAllGlobals());

describe('people on one phone (issue 8, item 2)', () => {
  it('each user gets their own client id, and keeps it across logins', () => {
    const a = login(wang);
    const b = login(li);
    expect(a).not.toBe(b);
    expect(login(wang)).toBe(a);
    expect(login(li)).toBe(b);
    expect(clientIdOf({ id: wang.userId, name: wang.name, phone: wang.phone })).toBe(a);
  });

  it('an id is never handed to another user, even one who logs in with a known phone number', () => {
    const a = login(wang);
    // The number was passed on to someone else: the guess is Wang's id, the answer says otherwise.
    const guess = clientIdForLogin(wang.phone);
    expect(guess).toBe(a);
    const own = ownClientId('u-zhao', guess);
    expect(own).not.toBe(a);
    rememberUser({ userId: 'u-zhao', name: '赵党员', phone: wang.phone }, own);
    expect(deviceUser(wang.userId)!.clientId).toBe(a);
  });

  it('a user whose number changed keeps their id', () => {
    const a = login(wang);
    expect(ownClientId(wang.userId, clientIdForLogin('13900000000'))).toBe(a);
  });

  it('the browser-wide id of older versions goes to one user only', () => {
    storage.setItem('lianxin.clientId', 'legacy-id');
    expect(login(wang)).toBe('legacy-id');
    expect(storage.getItem('lianxin.clientId')).toBeNull();
    expect(login(li)).not.toBe('legacy-id');
  });

  it('a session cached by an older version keeps the browser-wide id it was bound to', () => {
    storage.setItem('lianxin.clientId', 'legacy-id');
    expect(clientIdOf({ id: wang.userId, name: wang.name, phone: wang.phone })).toBe('legacy-id');
    expect(login(wang)).toBe('legacy-id');
  });

  it('a refused id is replaced for good', () => {
    const a = login(wang);
    const b = renewClientId(wang.userId);
    expect(b).not.toBe(a);
    expect(login(wang)).toBe(b);
  });

  it('lists the others whose unsent work waits on the phone', () => {
    login(wang);
    login(li);
    noteHeld(wang.userId, { pending: 3 });
    expect(othersWithPending(null).map((u) => [u.name, u.pending])).toEqual([['王党员', 3]]);
    expect(othersWithPending(wang.userId)).toEqual([]);
    expect(othersWithPending(li.userId).map((u) => u.name)).toEqual(['王党员']);
  });
});

describe('storage erased under the app (issue 8, item 10)', () => {
  it('an empty store that held synced data or unsent work was erased; the notice stays until dismissed', () => {
    login(wang);
    expect(detectErasure(wang.userId, true)).toBeNull(); // a first login: nothing was there
    noteHeld(wang.userId, { held: true, pending: 2 });
    expect(detectErasure(wang.userId, false)).toBeNull();
    expect(detectErasure(wang.userId, true)).toBe(2);
    expect(deviceUser(wang.userId)).toMatchObject({ pending: 0, held: false });
    expect(detectErasure(wang.userId, false)).toBe(2); // a reload before the member read it
    noteHeld(wang.userId, { erasedLost: null });
    expect(detectErasure(wang.userId, false)).toBeNull();
  });

  it('an erased store with nothing unsent still says so', () => {
    login(li);
    noteHeld(li.userId, { held: true });
    expect(detectErasure(li.userId, true)).toBe(0);
  });
});
