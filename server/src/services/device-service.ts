import { sql, type Kysely } from 'kysely';
import { DomainError } from '@shared/errors.ts';
import { scopeOf, type Scope } from '@shared/domain/scope.ts';
import { runMutation, upgradeArgs } from '@shared/sync/mutators.ts';
import type { Database } from '../db/database.ts';
import { loadCaller } from '../repositories/user-repository.ts';
import { readPrefixes } from '../repositories/unit-repository.ts';
import { ChangeBuffer } from '../sync/change-buffer.ts';
import { KyselyMutatorTx } from '../sync/kysely-mutator-tx.ts';

type Db = Kysely<Database>;

/** A device whose user is a member under the caller's subtrees, or NOT_FOUND (it is not theirs to see). */
async function deviceInScope(db: Db, scope: Scope, clientId: string) {
  const prefixes = readPrefixes(scope);
  if (!prefixes.length) throw new DomainError('FORBIDDEN');
  const row = await db
    .selectFrom('sync_clients as c')
    .innerJoin('members', 'members.user_id', 'c.user_id')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .select(['c.client_id', 'c.user_id', 'c.revoke_kind'])
    .where('c.client_id', '=', clientId)
    .where(sql<boolean>`(${sql.join(prefixes.map((p) => sql`units.path like ${`${p}%`}`), sql` or `)})`)
    .executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND');
  return row;
}

/**
 * Revokes a device. `retire` (a member leaves): its queued work is taken into the holding area,
 * then it erases itself. `lost` (a stolen phone): nothing more is accepted, and it is wiped if
 * it ever calls again.
 */
export async function revokeDevice(db: Db, scope: Scope, clientId: string, kind: 'retire' | 'lost', now: Date) {
  await deviceInScope(db, scope, clientId);
  await db.updateTable('sync_clients').set({ revoked_at: now, revoke_kind: kind }).where('client_id', '=', clientId).execute();
}

export async function listHeld(db: Db, scope: Scope) {
  const prefixes = readPrefixes(scope);
  if (!prefixes.length) throw new DomainError('FORBIDDEN');
  return db
    .selectFrom('held_mutations as h')
    .innerJoin('members', 'members.user_id', 'h.user_id')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .innerJoin('users', 'users.id', 'h.user_id')
    .select(['h.id', 'h.client_id as clientId', 'h.mutation_id as mutationId', 'h.name', 'h.args', 'h.held_at as heldAt', 'h.decision', 'h.result_code as resultCode', 'users.name as memberName', 'units.name as unitName'])
    .where(sql<boolean>`(${sql.join(prefixes.map((p) => sql`units.path like ${`${p}%`}`), sql` or `)})`)
    .orderBy('h.id')
    .execute();
}

/**
 * A supervisor's decision on held work. Accepting runs it now under its author's rights (the
 * same shared rules, logged like any mutation); refusing keeps it, marked, in the holding area.
 */
export async function decideHeld(db: Db, scope: Scope, id: number, decision: 'accept' | 'refuse', now: Date) {
  const held = await db.selectFrom('held_mutations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!held) throw new DomainError('NOT_FOUND');
  await deviceInScope(db, scope, held.client_id);
  if (held.decision) throw new DomainError('CONFLICT_SETTLED');
  const changes = new ChangeBuffer();
  return db.transaction().execute(async (trx) => {
    let status = 'refused';
    let code: string | null = null;
    if (decision === 'accept') {
      const author = scopeOf(await loadCaller(trx, held.user_id));
      const hlc = held.hlc;
      await sql`savepoint held`.execute(trx);
      try {
        const args = upgradeArgs(held.name, held.args, held.schema_version);
        const tx = new KyselyMutatorTx(trx, changes, { clientId: held.client_id, mutationId: held.mutation_id, userId: held.user_id, hlc });
        const r = await runMutation(tx, { side: 'server', userId: held.user_id, memberId: author.memberId, scope: author, hlc, now: now.toISOString(), clientId: held.client_id }, held.name, args);
        await sql`release savepoint held`.execute(trx);
        status = r.status;
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        await sql`rollback to savepoint held`.execute(trx);
        changes.rollbackTo(0);
        status = 'rejected';
        code = err.code;
      }
      await trx.insertInto('mutation_log').values({
        client_id: held.client_id, user_id: held.user_id, mutation_id: held.mutation_id, name: held.name, args: JSON.stringify(held.args ?? null),
        schema_version: held.schema_version, hlc, server_time: now, status, code, message: code ? `held: ${code}` : 'held: accepted', late: false, clock_clamped: false,
      }).execute();
    }
    await trx.updateTable('held_mutations').set({ decision, decided_by: scope.userId, decided_at: now, result_code: code ?? status }).where('id', '=', id).execute();
    await changes.flush(trx);
    return { id, decision, status, code };
  });
}
