import { type Kysely } from 'kysely';
import { DomainError } from '@shared/errors.ts';
import { scopeOf, type Scope } from '@shared/domain/scope.ts';
import type { Database } from '../db/database.ts';
import { loadCaller } from '../repositories/user-repository.ts';
import { readPrefixes } from '../access/scope-sql.ts';
import { deviceInScope as findDeviceInScope } from '../repositories/report-repository.ts';
import { ChangeBuffer } from '../sync/change-buffer.ts';
import { runLogged } from '../sync/mutation-runner.ts';
import { SyncWriter } from '../sync/sync-writer.ts';

type Db = Kysely<Database>;

/** A device whose user is a member under the caller's subtrees, or NOT_FOUND (it is not theirs to see). */
async function deviceInScope(db: Db, scope: Scope, clientId: string) {
  if (!readPrefixes(scope).length) throw new DomainError('FORBIDDEN');
  const row = await findDeviceInScope(db, scope, clientId);
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

/**
 * A supervisor's decision on held work. Accepting runs it now under its author's rights, through
 * the same runner as a push (the shared rules, its own savepoint, logged); refusing keeps it,
 * marked, in the holding area.
 */
export async function decideHeld(db: Db, scope: Scope, id: number, decision: 'accept' | 'refuse', now: Date) {
  const held = await db.selectFrom('held_mutations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!held) throw new DomainError('NOT_FOUND');
  await deviceInScope(db, scope, held.client_id);
  if (held.decision) throw new DomainError('CONFLICT_SETTLED');
  return db.transaction().execute(async (trx) => {
    let status = 'refused';
    let code: string | null = null;
    const changes = new ChangeBuffer();
    if (decision === 'accept') {
      const author = scopeOf(await loadCaller(trx, held.user_id));
      const out = await runLogged(
        new SyncWriter(trx, changes),
        { clientId: held.client_id, mutationId: held.mutation_id, name: held.name, args: held.args, hlc: held.hlc, schemaVersion: held.schema_version, userId: held.user_id, scope: author },
        now,
        'zh',
      );
      status = out.status;
      code = out.code ?? null;
      await trx.insertInto('mutation_log').values({ ...out.log, message: code ? `held: ${code}` : 'held: accepted' } as never).execute();
    }
    await trx.updateTable('held_mutations').set({ decision, decided_by: scope.userId, decided_at: now, result_code: code ?? status }).where('id', '=', id).execute();
    await changes.flush(trx);
    return { id, decision, status, code };
  });
}
