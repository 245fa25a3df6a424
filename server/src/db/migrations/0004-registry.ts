import { sql, type Kysely } from 'kysely';

// Frozen once landed. The record-kind registry: every synced write goes through one path that
// records who sees it, so the change log learns unit-wide entries and scope changes, every kind's
// table carries its space, lifecycle history serves every kind, and conflicts point at a unit.
export async function up(db: Kysely<any>): Promise<void> {
  // A unit-wide entry reaches every device whose scope covers the unit (a unit's own facts, a
  // wish on a village's wall); a scope-change entry brings the record's dependants to a device
  // newly given it (a reassigned household with its history).
  await db.schema.alterTable('changes').addColumn('unit_wide', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  await db.schema.alterTable('changes').addColumn('scope_change', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  await sql`update changes set table_name = 'households', scope_change = true where table_name = 'assignments'`.execute(db);

  // Members carry their space like every synced row (the partition key).
  await db.schema.alterTable('members').addColumn('space_id', 'uuid').execute();
  await sql`update members m set space_id = u.space_id from units u where u.id = m.unit_id`.execute(db);

  // One history table for every kind with a life cycle.
  await db.schema.alterTable('dispute_events').renameTo('record_events').execute();
  await db.schema.alterTable('record_events').renameColumn('dispute_id', 'record_id').execute();
  await sql`alter table record_events drop constraint if exists dispute_events_dispute_id_fkey`.execute(db);
  await db.schema.alterTable('record_events').addColumn('table_name', 'text', (c) => c.notNull().defaultTo('disputes')).execute();
  await sql`alter table record_events alter column table_name drop default`.execute(db);
  await sql`drop index if exists dispute_events_dispute_idx`.execute(db);
  await db.schema.createIndex('record_events_record_idx').on('record_events').columns(['table_name', 'record_id', 'id']).execute();

  // A conflict names the unit whose supervisors review it (its path follows moves of the tree),
  // and which value the supervisor kept.
  await db.schema.alterTable('conflicts').addColumn('unit_id', 'uuid').execute();
  await sql`update conflicts set unit_id = (string_to_array(trim(both '/' from unit_path), '/'))[array_length(string_to_array(trim(both '/' from unit_path), '/'), 1)]::uuid`.execute(db);
  await sql`alter table conflicts alter column unit_id set not null`.execute(db);
  await db.schema.alterTable('conflicts').addColumn('resolution', 'text').execute();
  await sql`update conflicts set resolution = case when resolution_note like '改用另一值%' then 'other' when status = 'resolved' then 'current' end`.execute(db);
  await sql`drop index if exists conflicts_path_idx`.execute(db);
  await db.schema.alterTable('conflicts').dropColumn('unit_path').execute();
  await db.schema.createIndex('conflicts_unit_idx').on('conflicts').columns(['unit_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conflicts').addColumn('unit_path', 'text').execute();
  await sql`update conflicts c set unit_path = u.path from units u where u.id = c.unit_id`.execute(db);
  await db.schema.dropIndex('conflicts_unit_idx').execute();
  await db.schema.alterTable('conflicts').dropColumn('unit_id').dropColumn('resolution').execute();
  await db.schema.dropIndex('record_events_record_idx').execute();
  await db.schema.alterTable('record_events').dropColumn('table_name').execute();
  await db.schema.alterTable('record_events').renameColumn('record_id', 'dispute_id').execute();
  await db.schema.alterTable('record_events').renameTo('dispute_events').execute();
  await db.schema.alterTable('members').dropColumn('space_id').execute();
  await db.schema.alterTable('changes').dropColumn('unit_wide').dropColumn('scope_change').execute();
}
