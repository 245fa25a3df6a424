import { syncTables } from '@shared/sync/registry.ts';

/** Every table a mutation may touch, plus the outbox and meta: one transaction for both. */
export const mutationTables = (): string[] => [...syncTables(), 'outbox', 'meta'];
