import type { Kysely } from 'kysely';

// Frozen once landed. An administrator archives a household that moved away or no longer needs
// a liaison (issue 10): it leaves every phone and every count, its visits and disputes stay.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('households').addColumn('archived_at', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('households').dropColumn('archived_at').execute();
}
