import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, type TestApp } from './test-app.ts';
import { clientDevice } from './client-device.ts';

const ADMIN = '13800000001';

/** Units and members are synced records too: an admin's edits reach the phones on their next pull. */
describe.each(DB_KINDS)('organisation edits reach devices on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t.close());

  const admin = async (method: 'POST' | 'PATCH', url: string, payload: object) => {
    const res = await t.app.inject({ method, url, headers: await t.as(ADMIN), payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  };

  it('renaming the branch, adding a member, a central-household flag and a supervisor grant', async () => {
    const group = t.unitNamed('石岭村第一村民小组党支部');
    const li = memberPhone(t.org, group.id, 0);
    const wang = memberPhone(t.org, group.id, 1);
    const phone = await clientDevice(t, li.phone);
    await phone.engine.sync();
    expect((await phone.db.units.get(group.id))?.name).toBe(group.name);
    const membersBefore = await phone.db.members.where('unitId').equals(group.id).count();

    await admin('PATCH', `/api/admin/units/${group.id}`, { name: '石岭村第一村民小组党支部（新）' });
    await phone.engine.sync();
    expect((await phone.db.units.get(group.id))?.name).toBe('石岭村第一村民小组党支部（新）');

    const added = await admin('POST', '/api/admin/members', { unitId: group.id, name: '新党员', phone: '13911112222', password: 'lianxin-new-1' });
    await phone.engine.sync();
    expect(await phone.db.members.where('unitId').equals(group.id).count()).toBe(membersBefore + 1);
    expect(await phone.db.members.get(added.id)).toMatchObject({ name: '新党员', centralHousehold: false });

    await admin('PATCH', `/api/admin/members/${wang.memberId}`, { centralHousehold: true });
    await phone.engine.sync();
    expect((await phone.db.members.get(wang.memberId))?.centralHousehold).toBe(true);

    // Li becomes the branch's supervisor: the phone now holds every household of the branch.
    const wangHouseholds = t.org.households.filter((h) => h.memberId === wang.memberId).map((h) => h.id);
    expect(await phone.db.households.bulkGet(wangHouseholds)).toEqual(wangHouseholds.map(() => undefined));
    await admin('POST', '/api/admin/grants', { userId: phone.me.id, role: 'supervisor', unitId: group.id });
    await phone.engine.sync();
    expect((await phone.db.households.bulkGet(wangHouseholds)).map((h) => h?.id)).toEqual(wangHouseholds);
    phone.close();
  });
});
