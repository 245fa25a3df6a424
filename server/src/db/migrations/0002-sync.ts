import { sql, type Kysely } from 'kysely';

// Frozen once landed. The records members make offline, and the machinery that syncs them.
export async function up(db: Kysely<any>): Promise<void> {
  // Units above any town or sub-district (the district) version in a space of their own.
  await sql`update units set space_id = id where space_id is null`.execute(db);

  // One row per space: bumped at the very end of every writing transaction, so versions
  // become visible in the order they were handed out (a pull can never skip one).
  await db.schema
    .createTable('space_versions')
    .addColumn('space_id', 'uuid', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`insert into space_versions (space_id) select distinct space_id from units`.execute(db);

  // The change log a pull reads: which record of which table changed in which space version,
  // and who may see it (the households it concerns, the members it names, its branch's path).
  await db.schema
    .createTable('changes')
    .addColumn('seq', 'bigserial', (c) => c.primaryKey())
    .addColumn('space_id', 'uuid', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('row_id', 'uuid', (c) => c.notNull())
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('household_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('member_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute();
  await db.schema.createIndex('changes_space_version_idx').on('changes').columns(['space_id', 'version', 'seq']).execute();
  // A member's pull asks "which changes name me?"; a GIN index answers without a scan.
  await sql`create index changes_member_ids_idx on changes using gin (member_ids)`.execute(db);

  // Per editable field: {v: version (counts edits), hlc: stamp of the last edit, by: its user}.
  await db.schema.alterTable('households').addColumn('field_meta', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`)).execute();

  await db.schema
    .createTable('visits')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('household_id', 'uuid', (c) => c.notNull().references('households.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('space_id', 'uuid', (c) => c.notNull())
    .addColumn('visited_at', 'timestamptz', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('duty', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('concerns', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('concern_categories', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('follow_up', 'boolean', (c) => c.notNull())
    .addColumn('late', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('hlc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('amended_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('visits_household_idx').on('visits').columns(['household_id', 'visited_at']).execute();
  await db.schema.createIndex('visits_space_idx').on('visits').columns(['space_id', 'visited_at']).execute();

  await db.schema
    .createTable('disputes')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('space_id', 'uuid', (c) => c.notNull())
    // The parties' branch (whose people see it) and the unit now handling it (its tier).
    .addColumn('branch_unit_id', 'uuid', (c) => c.notNull().references('units.id'))
    .addColumn('unit_id', 'uuid', (c) => c.notNull().references('units.id'))
    .addColumn('household_ids', sql`uuid[]`, (c) => c.notNull())
    .addColumn('other_parties', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('risk_level', 'text', (c) => c.notNull().defaultTo('yellow'))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('grid_found'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_by', 'uuid', (c) => c.notNull())
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('opened_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('hlc', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index disputes_households_idx on disputes using gin (household_ids)`.execute(db);
  await db.schema.createIndex('disputes_unit_idx').on('disputes').columns(['unit_id', 'status']).execute();

  await db.schema
    .createTable('dispute_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('dispute_id', 'uuid', (c) => c.notNull().references('disputes.id'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'uuid', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('by_user_id', 'uuid', (c) => c.notNull())
    .addColumn('hlc', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('dispute_events_dispute_idx').on('dispute_events').columns(['dispute_id', 'id']).execute();

  await db.schema
    .createTable('mediations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('dispute_id', 'uuid', (c) => c.notNull().references('disputes.id'))
    .addColumn('space_id', 'uuid', (c) => c.notNull())
    .addColumn('mediated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('mediator_ids', 'jsonb', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('agreement_reached', 'boolean', (c) => c.notNull())
    .addColumn('agreement_kind', 'text')
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('late', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('hlc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('mediations_dispute_idx').on('mediations').column('dispute_id').execute();

  await db.schema
    .createTable('conflicts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('space_id', 'uuid', (c) => c.notNull())
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('record_id', 'uuid', (c) => c.notNull())
    .addColumn('household_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('kept_value', 'jsonb')
    .addColumn('lost_value', 'jsonb')
    .addColumn('kept_by', 'uuid')
    .addColumn('lost_by', 'uuid')
    .addColumn('kept_hlc', 'text')
    .addColumn('lost_hlc', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('mutation_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_by', 'uuid')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolution_note', 'text')
    .execute();
  await db.schema.createIndex('conflicts_record_idx').on('conflicts').columns(['table_name', 'record_id']).execute();
  await sql`create index conflicts_path_idx on conflicts (unit_path text_pattern_ops, status)`.execute(db);

  await db.schema
    .createTable('sync_clients')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('last_mutation_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('schema_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('app_version', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_push_at', 'timestamptz')
    .addColumn('last_pull_at', 'timestamptz')
    .addColumn('outbox_length', 'integer')
    .addColumn('oldest_pending_at', 'timestamptz')
    .addColumn('storage_used', 'bigint')
    .addColumn('storage_quota', 'bigint')
    .addColumn('storage_persisted', 'boolean')
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'timestamptz')
    .addColumn('clock_skew_ms', 'bigint')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoke_kind', 'text')
    .execute();
  await db.schema.createIndex('sync_clients_user_idx').on('sync_clients').column('user_id').execute();

  await db.schema
    .createTable('mutation_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('mutation_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('args', 'jsonb', (c) => c.notNull())
    .addColumn('schema_version', 'integer', (c) => c.notNull())
    .addColumn('hlc', 'text', (c) => c.notNull())
    .addColumn('server_time', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('message', 'text')
    .addColumn('late', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('clock_clamped', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('space_id', 'uuid')
    .execute();
  await db.schema.createIndex('mutation_log_client_idx').on('mutation_log').columns(['client_id', 'mutation_id']).execute();
  await db.schema.createIndex('mutation_log_user_idx').on('mutation_log').columns(['user_id', 'server_time']).execute();

  await db.schema.alterTable('household_assignments').addColumn('space_id', 'uuid').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['mutation_log', 'sync_clients', 'conflicts', 'mediations', 'dispute_events', 'disputes', 'visits', 'changes', 'space_versions']) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.alterTable('households').dropColumn('field_meta').execute();
  await db.schema.alterTable('household_assignments').dropColumn('space_id').execute();
}
