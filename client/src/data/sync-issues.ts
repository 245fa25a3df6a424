import type { Ref } from 'vue';
import type { ConflictRow } from '@shared/kinds/conflicts.ts';
import type { RejectedEntry } from '../db/lianxin-db.ts';
import { useLive } from '../composables/use-live.ts';
import { useSessionStore } from '../stores/session.ts';
import { useSyncStore } from '../stores/sync.ts';
import { discardReturned, resendReturned } from '../sync/returned-work.ts';

/** The returned-work screen's data and its two actions, each through the sync layer. */
export function useSyncIssues(): {
  rejected: Ref<RejectedEntry[]>;
  conflicts: Ref<ConflictRow[]>;
  resend(e: RejectedEntry, text: string | undefined): Promise<void>;
  discard(e: RejectedEntry): Promise<void>;
} {
  const sync = useSyncStore();
  const session = useSessionStore();
  const deps = [() => sync.db];
  const db = () => {
    if (!sync.db) throw new Error('sync not started');
    return sync.db;
  };
  return {
    rejected: useLive(async () => (await sync.db?.rejected.orderBy('id').toArray()) ?? [], [], deps),
    // The conflicts this person took part in: theirs to know about, a supervisor's to settle.
    conflicts: useLive(async () => (await sync.db?.conflicts.toArray())?.filter((c) => c.lostBy === session.me?.id || c.keptBy === session.me?.id) ?? [], [], deps),
    resend: (e, text) => resendReturned(db(), e, text, (name, args) => sync.mutate(name, args as never)),
    discard: (e) => discardReturned(db(), e),
  };
}
