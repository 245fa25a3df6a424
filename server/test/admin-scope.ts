import { staffPhone, type TestApp } from './test-app.ts';

/**
 * Makes a village's supervisor an admin of that village only, and logs them in: the scope the
 * admin tests cross ("an admin of one village changes nothing in another").
 */
export async function villageAdmin(t: TestApp, villageName: string): Promise<{ authorization: string }> {
  const village = t.unitNamed(villageName);
  const phone = staffPhone(t.org, village.id);
  const user = t.org.users.find((u) => u.phone === phone)!;
  await t.testDb.opened.db.insertInto('grants').values({ user_id: user.id, role: 'admin', unit_id: village.id }).execute();
  return t.as(phone);
}
