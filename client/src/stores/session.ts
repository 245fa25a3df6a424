import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { MeReply } from '@shared/schemas/account.ts';
import { api } from '../api/lianxin-api.ts';
import { configureHttp } from '../api/http.ts';
import { clearSession, loadClientId, loadSession, saveSession } from '../db/session-cache.ts';

/** Who is logged in on this device: token, the /api/me answer, and the device's clientId. */
export const useSessionStore = defineStore('session', () => {
  const token = ref<string | null>(null);
  const me = ref<MeReply | null>(null);
  const clientId = ref<string | null>(null);

  const roles = computed(() => me.value?.roles ?? []);
  const isAuthenticated = computed(() => token.value !== null);
  const isMember = computed(() => me.value?.member != null);
  const isSupervisor = computed(() => (me.value?.units.length ?? 0) > 0);
  const isAdmin = computed(() => roles.value.includes('admin'));
  /** Where "/" leads: members to their households, supervisors to their subtree. */
  const homePath = computed(() => (isMember.value ? '/households' : isSupervisor.value ? '/supervise' : '/me'));

  function reset() {
    token.value = null;
    me.value = null;
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
      const [cached, id] = await Promise.all([loadSession(), loadClientId()]);
      clientId.value = id;
      if (cached && token.value === null) {
        token.value = cached.token;
        me.value = cached.me;
      }
    })();
    return hydrating;
  }

  async function refreshMe(): Promise<void> {
    const fresh = await api.me();
    if (!token.value) return; // logged out while the call was under way
    me.value = fresh;
    await saveSession({ token: token.value, me: fresh });
  }

  async function login(phone: string, password: string): Promise<void> {
    await hydrate();
    const reply = await api.login({ phone, password, clientId: clientId.value! });
    token.value = reply.token;
    try {
      await refreshMe();
    } catch (err) {
      // Without /api/me we cannot tell which screens to open; treat the login as not done.
      reset();
      throw err;
    }
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

  return { token, me, clientId, roles, isAuthenticated, isMember, isSupervisor, isAdmin, homePath, hydrate, refreshMe, login, logout };
});
