import type { Kysely } from 'kysely';

// Frozen once landed. Retention (issue 14): where each device's pulls have reached, how far the
// change log of each space has been pruned, and an index to find old mutation-log rows by time.
export async function up(db: Kysely<any>): Promise<void> {
  // Per space, the version a device has received everything up to: the change log below the
  // oldest of these may go.
  await db.schema.alterTable('sync_clients').addColumn('pull_position', 'jsonb').execute();
  // Entries at or below this version are gone: a cursor behind it restarts with a snapshot.
  await db.schema.alterTable('space_versions').addColumn('pruned_through', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('mutation_log_server_time_idx').on('mutation_log').column('server_time').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('mutation_log_server_time_idx').execute();
  await db.schema.alterTable('space_versions').dropColumn('pruned_through').execute();
  await db.schema.alterTable('sync_clients').dropColumn('pull_position').execute();
}
