import { sql, type Kysely } from 'kysely';
import { Type, type Static } from 'typebox';
import { canWriteHousehold } from '@shared/domain/scope.ts';
import { DomainError } from '@shared/errors.ts';
import { IsoDateTime, Text, Uuid } from '@shared/schemas/common.ts';
import { defineKind, defineMutation, type KindDef } from '@shared/sync/kind.ts';
import type { MutatorTx } from '@shared/sync/mutator-tx.ts';
import { isSyncTable, registerKind } from '@shared/sync/registry.ts';

/**
 * A throwaway record kind, declared only here: a member's note on a household. It proves that a
 * new kind costs its own file and its table — nothing in the sync core. Tests register it with
 * `useTestNotes()` and create its table with `createTestNotesTable()`.
 */
const NoteRow = Type.Object({ id: Uuid, householdId: Uuid, memberId: Uuid, text: Type.String(), createdAt: IsoDateTime });
type NoteRow = Static<typeof NoteRow>;
export const NoteAddArgs = Type.Object({ id: Uuid, householdId: Uuid, text: Text(200, 1) }, { additionalProperties: false });

// The kind is not in the compile-time registry (SyncRows), so its table name is used untyped here.
type AnyTx = { get(t: string, id: string): Promise<unknown>; put(t: string, row: unknown): Promise<void> } & Pick<MutatorTx, 'get'>;

const add = defineMutation({
  args: NoteAddArgs,
  label: { zh: '便签', en: 'Note' },
  record: (a) => a.id,
  creates: true,
  correctable: 'text',
  async run(tx, ctx, a) {
    if (!ctx.memberId) throw new DomainError('FORBIDDEN');
    const household = await tx.get('households', a.householdId);
    if (!household) throw new DomainError('NOT_FOUND', '找不到该住户');
    if (!canWriteHousehold(ctx.scope, household)) throw new DomainError('OUT_OF_SCOPE');
    const t = tx as unknown as AnyTx;
    if (await t.get('test_notes', a.id)) return { status: 'duplicate' };
    const row: NoteRow = { id: a.id, householdId: a.householdId, memberId: ctx.memberId, text: a.text, createdAt: ctx.now };
    await t.put('test_notes', row);
    return { status: 'applied' };
  },
});

export const testNotes = defineKind({
  table: 'test_notes',
  row: NoteRow,
  label: { zh: '便签', en: 'Note' },
  indexes: 'householdId',
  columns: { createdAt: 'time' },
  visibility: [{ by: 'household', field: 'householdId' }],
  mutations: { 'test_note.add': add },
  fields: { text: { zh: '内容', en: 'Text' } },
});

/** Registers the kind once per test file (each file has its own module graph). */
export function useTestNotes(): void {
  if (!isSyncTable('test_notes')) registerKind(testNotes as unknown as KindDef);
}

/** The kind's migration, as a deployment adding it would ship one. */
export async function createTestNotesTable(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('test_notes')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('household_id', 'uuid', (c) => c.notNull().references('households.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('space_id', 'uuid', (c) => c.notNull())
    .execute();
  await sql`create index test_notes_household_idx on test_notes (household_id)`.execute(db);
}
