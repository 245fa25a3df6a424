import { sql, type Kysely } from 'kysely';

// Frozen once landed. Work a retired device sent after it was retired waits here for a supervisor.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('held_mutations')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('mutation_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('args', 'jsonb', (c) => c.notNull())
    .addColumn('schema_version', 'integer', (c) => c.notNull())
    .addColumn('hlc', 'text', (c) => c.notNull())
    .addColumn('held_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decision', 'text')
    .addColumn('decided_by', 'uuid')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('result_code', 'text')
    .execute();
  await db.schema.createIndex('held_mutations_client_idx').on('held_mutations').columns(['client_id', 'mutation_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('held_mutations').execute();
}
