import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUSEHOLD_SHEET } from '../src/services/roster-columns.ts';
import { buildWorkbook } from '../src/services/roster-workbook.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, type TestApp } from './test-app.ts';
import { generateRoster, upload } from './roster-helpers.ts';

describe.each(DB_KINDS)('a 20,000-row roster on %s', (kind) => {
  let t: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.as('13800000001');
  });
  afterAll(() => t.close());

  const counts = async () => {
    const db = t.testDb.opened.db;
    const n = async (table: 'users' | 'members' | 'households' | 'changes' | 'audit_log') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { users: await n('users'), members: await n('members'), households: await n('households'), changes: await n('changes'), audit: await n('audit_log') };
  };

  it('with one bad cell in its 19,000th row writes nothing; without it, imports every row', { timeout: 600_000 }, async () => {
    const roster = generateRoster(t.org, 20_000);
    expect(roster.people.length + roster.households.length).toBe(20_000);
    // The 19,000th row of the file: people fill the first 4,000.
    const badAt = 19_000 - roster.people.length - 1;
    const bad = { ...roster, households: roster.households.map((h, i) => (i === badAt ? { ...h, careTags: '不存在的类别' } : h)) };
    const before = await counts();
    const refused = (await upload(t, admin, await buildWorkbook(bad.people, bad.households), false)).json();
    expect(refused).toMatchObject({ applied: false, errorCount: 1, errors: [{ sheet: HOUSEHOLD_SHEET, row: badAt + 2, column: '帮扶类别', code: 'ROSTER_CARE_TAG_UNKNOWN' }] });
    expect(await counts()).toEqual(before);

    const res = (await upload(t, admin, await buildWorkbook(roster.people, roster.households), false)).json();
    expect(res).toMatchObject({ applied: true, created: 20_000, updated: 0, unchanged: 0, errorCount: 0 });
    expect(res.passwords).toHaveLength(4_000);
    const after = await counts();
    expect(after.users - before.users).toBe(4_000);
    expect(after.members - before.members).toBe(4_000);
    expect(after.households - before.households).toBe(16_000);
    expect(after.changes - before.changes).toBe(20_000);
    expect(after.audit - before.audit).toBe(20_000);
    const held = await t.testDb.opened.db
      .selectFrom('households').innerJoin('members', 'members.id', 'households.member_id').innerJoin('users', 'users.id', 'members.user_id')
      .select(['users.phone as liaison', 'households.phone']).where('households.head_name', '=', '住户4').executeTakeFirstOrThrow();
    expect(held).toEqual({ liaison: '13600000001', phone: '13500000004' });
  });
});
