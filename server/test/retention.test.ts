import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneLogs } from '../src/retention/retention-timer.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';

const DAY = 24 * 3600 * 1000;

/** Issue 14: the change log is pruned behind the oldest cursor in use; the mutation log is kept for its period, archived. */
describe.each(DB_KINDS)('retention on %s', (kind) => {
  let t: TestApp;
  let archiveDir: string;
  beforeAll(async () => {
    archiveDir = await mkdtemp(join(tmpdir(), 'lianxin-archive-'));
    t = await createTestApp(kind, { retention: { changeLogHoldDays: 2, mutationLogDays: 2, archiveDir, intervalMs: 0 } });
  });
  afterAll(async () => {
    await t.close();
    await rm(archiveDir, { recursive: true, force: true });
  });

  const later = (days: number) => (t.clock.now = new Date(t.clock.now.getTime() + days * DAY));
  const changeCount = async () => Number((await t.testDb.opened.db.selectFrom('changes').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const snapshotOf = (d: TestDevice) => Object.fromEntries([...d.rows].map(([table, rows]) => [table, [...rows.values()].sort((a, b) => String(a.id).localeCompare(String(b.id)))]));

  it('after pruning, a device in use pulls normally; one behind the pruned point gets clear and a snapshot and ends with the same rows', async () => {
    const { phone, memberId } = memberPhone(t.org, t.unitNamed('石岭村第一村民小组党支部').id, 0);
    const households = t.org.households.filter((h) => h.memberId === memberId);
    const author = new TestDevice(t, phone);
    const current = new TestDevice(t, phone); // pulls every day
    const behind = new TestDevice(t, phone); // in use, but a few changes behind
    const stale = new TestDevice(t, phone); // not seen for longer than the hold
    for (const d of [current, behind, stale]) await d.pull();

    await author.push([author.mutation('visit.create', visitArgs(households[0]!.id))]);
    for (const d of [current, behind]) await d.pull();
    await current.pull(); // its position is what it sends
    later(1);
    await author.push([author.mutation('visit.create', visitArgs(households[1]!.id))]);
    await behind.pullPage(); // seen today, still holding the cursor before the second visit
    later(2);
    await author.push([author.mutation('visit.create', visitArgs(households[2]!.id))]);
    await current.pull();
    await current.pull();
    await behind.pullPage();

    const before = await changeCount();
    const { changes } = await pruneLogs(t.app);
    expect(changes.deleted).toBeGreaterThan(0);
    expect(await changeCount()).toBe(before - changes.deleted);

    // What the device in use still needs was kept.
    const behindOps = await behind.pull();
    expect(behindOps[0]).not.toEqual({ op: 'clear' });
    expect(behindOps.filter((op) => op.op === 'put' && op.table === 'visits')).toHaveLength(2);

    const fourth = visitArgs(households[0]!.id);
    await author.push([author.mutation('visit.create', fourth)]);
    const currentOps = await current.pull();
    expect(currentOps).toEqual([{ op: 'put', table: 'visits', row: expect.objectContaining({ id: fourth.id }) }]);

    const staleOps = await stale.pull();
    expect(staleOps[0]).toEqual({ op: 'clear' });
    expect(snapshotOf(stale)).toEqual(snapshotOf(current));
    await behind.pull();
    expect(snapshotOf(behind)).toEqual(snapshotOf(current));
    expect(stale.table('visits').size).toBe(4);
    expect(await stale.pull()).toEqual([]);
  });

  it('a cursor is never pruned under a device in use: a second pass deletes nothing it still needs', async () => {
    const { phone } = memberPhone(t.org, t.unitNamed('石岭村第一村民小组党支部').id, 1);
    const d = new TestDevice(t, phone);
    await d.pull();
    await d.pull();
    await pruneLogs(t.app);
    await pruneLogs(t.app);
    expect((await d.pull())[0]).not.toEqual({ op: 'clear' });
  });

  it('keeps the mutation log for its period, archiving older rows as JSONL before deleting them', async () => {
    const db = t.testDb.opened.db;
    const { phone, memberId } = memberPhone(t.org, t.unitNamed('石岭村第二村民小组党支部').id, 0);
    const h = t.org.households.find((x) => x.memberId === memberId)!;
    const d = new TestDevice(t, phone);
    const old = visitArgs(h.id);
    await d.push([d.mutation('visit.create', old)]);
    const oldIds = (await db.selectFrom('mutation_log').select('id').execute()).map((r) => Number(r.id));
    later(3);
    const recent = visitArgs(h.id);
    await d.push([d.mutation('visit.create', recent)]);

    const archivedBefore = new Set(await readdir(archiveDir));
    const { mutations } = await pruneLogs(t.app);
    expect(mutations.deleted).toBe(oldIds.length);
    const left = await db.selectFrom('mutation_log').select(['id', 'args']).execute();
    expect(left).toHaveLength(1);
    expect((left[0]!.args as { id: string }).id).toBe(recent.id);

    const files = (await readdir(archiveDir)).filter((f) => !archivedBefore.has(f));
    expect(files).toHaveLength(1);
    expect(files[0]).toBe(mutations.file?.split('/').pop());
    const lines = gunzipSync(await readFile(join(archiveDir, files[0]!))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => Number(l.id)).sort((a, b) => a - b)).toEqual(oldIds.sort((a, b) => a - b));
    expect(lines.some((l) => l.args.id === old.id)).toBe(true);
    // The visit itself stays: only the log of how it arrived is gone.
    expect(await db.selectFrom('visits').select('id').where('id', '=', old.id).executeTakeFirst()).toBeDefined();
  });
});
