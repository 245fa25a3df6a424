import { sql, type Kysely } from 'kysely';

// Frozen once landed. The desk (issue 10): every admin action is written to an audit log, and a
// password an admin reset must be changed at the next login.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_user_id', 'uuid', (c) => c.notNull().references('users.id'))
    // What was done, as a code the desk labels in Chinese (e.g. 'member.disable').
    .addColumn('action', 'text', (c) => c.notNull())
    // What it was done to: a table name and the row's id.
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    // The unit path the target sits under: an admin reads the entries of their own subtrees only.
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .execute();
  await sql`create index audit_log_path_idx on audit_log (unit_path text_pattern_ops, id desc)`.execute(db);
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
  await db.schema.alterTable('users').addColumn('must_change_password', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('must_change_password').execute();
  await db.schema.dropTable('audit_log').execute();
}
