import type { Scope } from '@shared/domain/scope.ts';
import type { MeReply } from '@shared/schemas/account.ts';
import type { LianxinDb } from '../db/lianxin-db.ts';

/** Who acts on this device, as the shared mutators need it; unit paths come from the local units. */
export async function scopeFromMe(db: LianxinDb, me: MeReply): Promise<Scope> {
  const root = async (u: { id: string }) => ({ unitId: u.id, unitPath: (await db.units.get(u.id))?.path ?? [u.id] });
  return {
    userId: me.id,
    memberId: me.member?.id ?? null,
    readRoots: await Promise.all(me.units.map(root)),
    adminRoots: await Promise.all(me.units.filter((u) => u.role === 'admin').map(root)),
  };
}
