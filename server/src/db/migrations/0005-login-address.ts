import type { Kysely } from 'kysely';

// Frozen once landed. Failed logins are counted per phone *and source address*, so someone
// guessing from elsewhere cannot lock a member out of their own phone (issue 8, item 15).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('login_failures').addColumn('address', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.createIndex('login_failures_phone_address_idx').on('login_failures').columns(['phone', 'address', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('login_failures_phone_address_idx').execute();
  await db.schema.alterTable('login_failures').dropColumn('address').execute();
}
