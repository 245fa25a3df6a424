import { DEMO_PASSWORD } from '../src/demo/load-org.ts';
import type { TestApp } from './test-app.ts';

export type Headers = { authorization: string };

/** Logs in afresh (no cached token: these tests end sessions), optionally for one device. */
export async function login(t: TestApp, phone: string, password = DEMO_PASSWORD, clientId?: string) {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password, ...(clientId ? { clientId } : {}) } });
  return { res, headers: res.statusCode === 200 ? { authorization: `Bearer ${res.json().token as string}` } : null };
}

/** Makes an admin of a unit (by the district admin) and returns their login. */
export async function makeAdmin(t: TestApp, districtAdmin: Headers, unitId: string, phone: string): Promise<{ userId: string; headers: Headers }> {
  const res = await t.app.inject({
    method: 'POST', url: '/api/admin/staff', headers: districtAdmin,
    payload: { name: `管理员${phone.slice(-2)}`, phone, password: DEMO_PASSWORD, role: 'admin', unitId },
  });
  if (res.statusCode !== 201) throw new Error(`staff ${res.statusCode} ${res.body}`);
  const { headers } = await login(t, phone);
  return { userId: res.json().userId as string, headers: headers! };
}

/** The user id behind a demo phone. */
export function userOf(t: TestApp, phone: string): string {
  return t.org.users.find((u) => u.phone === phone)!.id;
}

/** Audit entries of an action on a target, oldest first. */
export async function auditOf(t: TestApp, action: string, targetId: string) {
  return t.testDb.opened.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('target_id', '=', targetId).orderBy('id').execute();
}
