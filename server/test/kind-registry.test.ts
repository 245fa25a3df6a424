import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@shared/uuid.ts';
import { createTestNotesTable, useTestNotes } from './kinds/test-notes.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { clientDevice } from './client-device.ts';

useTestNotes();

/**
 * A record kind declared only in a test file (server/test/kinds/test-notes.ts) goes through the
 * whole sync core untouched: made offline on a phone, pushed, pulled by devices in scope and
 * not by others, and taken off the phone when its household is assigned away.
 */
describe.each(DB_KINDS)('a new record kind through the sync core on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await createTestNotesTable(t.testDb.opened.db);
  });
  afterAll(() => t.close());

  it('is made offline, pushed, pulled in scope only, and leaves with its household', async () => {
    const group = t.unitNamed('石岭村第一村民小组党支部');
    const li = memberPhone(t.org, group.id, 0);
    const wang = memberPhone(t.org, group.id, 1);
    const household = t.org.households.find((h) => h.memberId === li.memberId)!.id;

    const phone = await clientDevice(t, li.phone);
    const other = await clientDevice(t, wang.phone);
    const supervisor = await clientDevice(t, staffPhone(t.org, group.id));
    for (const d of [phone, other, supervisor]) await d.engine.sync();

    phone.net.online = false;
    const note = { id: uuidv7(), householdId: household, text: '门口台阶松动，已报村委' };
    await phone.mutate('test_note.add' as never, note as never);
    expect(await phone.db.table('test_notes').get(note.id)).toMatchObject({ text: note.text, memberId: li.memberId });
    await phone.engine.sync(); // offline: stays queued
    expect(await phone.db.outbox.count()).toBe(1);

    phone.net.online = true;
    await phone.engine.sync();
    expect(await phone.db.outbox.count()).toBe(0);
    const stored = await t.testDb.opened.db.selectFrom('test_notes' as never).selectAll().execute();
    expect(stored).toHaveLength(1);

    await supervisor.engine.sync();
    await other.engine.sync();
    expect(await supervisor.db.table('test_notes').get(note.id)).toMatchObject({ householdId: household, text: note.text });
    expect(await other.db.table('test_notes').count()).toBe(0);

    // The household goes to Wang: Li's phone loses the note with it, Wang's phone gains it.
    const res = await t.app.inject({
      method: 'POST', url: `/api/admin/households/${household}/assign`, headers: await t.as('13800000001'), payload: { memberId: wang.memberId },
    });
    expect(res.statusCode).toBe(200);
    await phone.engine.sync();
    await other.engine.sync();
    expect(await phone.db.households.get(household)).toBeUndefined();
    expect(await phone.db.table('test_notes').get(note.id)).toBeUndefined();
    expect(await other.db.table('test_notes').get(note.id)).toMatchObject({ text: note.text });
    for (const d of [phone, other, supervisor]) d.close();
  });
});
