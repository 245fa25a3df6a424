import type { Kysely } from 'kysely';

// Frozen once landed. The sync report names each device (issue 10): the User-Agent its browser
// sent at its latest sync, from which the desk reads its model and browser.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sync_clients').addColumn('user_agent', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sync_clients').dropColumn('user_agent').execute();
}
