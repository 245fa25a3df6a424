import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { MeReply } from '@shared/schemas/account.ts';
import { api } from '../api/lianxin-api.ts';
import { configureHttp } from '../api/http.ts';
import { isDeskScreen } from '../desk/components/desk-screen.ts';
import { clearSession, loadSession, saveSession } from '../db/session-cache.ts';
import { clientIdForLogin, clientIdOf, ownClientId, rememberUser, renewClientId as renewStoredId } from '../db/device-users.ts';

/** Who is logged in on this device: token, the /api/me answer, and their own clientId on it. */
export const useSessionStore = defineStore('session', () => {
  const token = ref<string | null>(null);
  const me = ref<MeReply | null>(null);
  const clientId = ref<string | null>(null);

  const roles = computed(() => me.value?.roles ?? []);
  const isAuthenticated = computed(() => token.value !== null);
  const isMember = computed(() => me.value?.member != null);
  const isSupervisor = computed(() => (me.value?.units.length ?? 0) > 0);
  const isAdmin = computed(() => roles.value.includes('admin'));
  /** An admin reset the password: the app opens nothing but the change-password screen until it is changed. */
  const mustChangePassword = computed(() => me.value?.mustChangePassword === true);
  /** Where "/" leads: members to their households, supervisors to their subtree (at a computer, the desk). */
  const homePath = computed(() =>
    mustChangePassword.value ? '/password' : isMember.value ? '/households' : isSupervisor.value ? (isDeskScreen() ? '/desk' : '/supervise') : '/me',
  );

  function reset() {
    token.value = null;
    me.value = null;
    clientId.value = null;
    void clearSession();
  }

  configureHttp({
    token: () => token.value,
    // A revoked or expired token cannot be fixed offline; send the user back to log in.
    onSessionRejected: (code) => {
      if (code === 'UNAUTHENTICATED' || code === 'SESSION_EXPIRED') reset();
    },
  });

  let hydrating: Promise<void> | null = null;
  /** Reads the cached session once; the router waits for it before the first navigation. */
  function hydrate(): Promise<void> {
    hydrating ??= (async () => {
      const cached = await loadSession();
      if (cached && token.value === null) {
        token.value = cached.token;
        me.value = cached.me;
        if (cached.me) clientId.value = clientIdOf(cached.me);
      }
    })();
    return hydrating;
  }

  async function refreshMe(): Promise<void> {
    const fresh = await api.me();
    if (!token.value) return; // logged out while the call was under way
    // Known on this phone (name and number for the list of whose work waits here) before the
    // store opens for them.
    clientId.value ??= clientIdOf(fresh); // a session cached without its /api/me answer
    rememberUser({ userId: fresh.id, name: fresh.name, phone: fresh.phone }, clientId.value);
    me.value = fresh;
    await saveSession({ token: token.value, me: fresh });
  }

  /**
   * Logs in with the person's own client id on this phone. Before the answer we only know the
   * phone number; if the id we guessed is not theirs (a number passed on to someone else, or
   * their number changed), the session is made again on the right id — the server binds each
   * session to one id, and each id to one user for good.
   */
  async function login(phone: string, password: string): Promise<void> {
    await hydrate();
    const tried = clientIdForLogin(phone);
    let reply = await api.login({ phone, password, clientId: tried });
    const own = ownClientId(reply.user.id, tried);
    if (own !== tried) {
      token.value = reply.token;
      await api.logout().catch(() => {});
      token.value = null;
      reply = await api.login({ phone, password, clientId: own });
    }
    token.value = reply.token;
    clientId.value = own;
    try {
      await refreshMe();
    } catch (err) {
      // Without /api/me we cannot tell which screens to open; treat the login as not done.
      reset();
      throw err;
    }
  }

  /**
   * The server says this user's client id is another user's: take a new one for good. The
   * session is bound to the old id, so the caller logs out and the user logs in again.
   */
  function renewClientId(): void {
    if (me.value) clientId.value = renewStoredId(me.value.id);
  }

  /**
   * Changes the caller's own password (online only). The server clears a forced change with it;
   * the cached answer follows, so a relaunch offline does not ask again.
   */
  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await api.changePassword({ currentPassword, newPassword });
    if (!token.value || !me.value) return;
    me.value = { ...me.value, mustChangePassword: false };
    await saveSession({ token: token.value, me: me.value });
  }

  async function logout(): Promise<void> {
    try {
      await api.logout();
    } catch {
      // Offline or already expired: forgetting the token here is what matters.
    } finally {
      reset();
    }
  }

  return {
    token,
    me,
    clientId,
    roles,
    isAuthenticated,
    isMember,
    isSupervisor,
    isAdmin,
    mustChangePassword,
    homePath,
    hydrate,
    refreshMe,
    login,
    changePassword,
    logout,
    renewClientId,
  };
});
