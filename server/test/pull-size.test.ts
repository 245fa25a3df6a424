import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';

/** Issue 14: answers are compressed when asked, and a pull page is bounded by bytes as well as rows. */
describe.each(DB_KINDS)('pull size on %s', (kind) => {
  const PAGE_BYTES = 6 * 1024;
  let t: TestApp;
  let small: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    small = await createTestApp(kind, { pullPageBytes: PAGE_BYTES });
  });
  afterAll(async () => {
    await t.close();
    await small.close();
  });

  it('a first pull asked with accept-encoding gzip is compressed and decodes to the same JSON', async () => {
    const d = new TestDevice(t, memberPhone(t.org, t.unitNamed('石岭村第一村民小组党支部').id, 0).phone);
    const pull = (headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/api/sync/pull', headers: { ...headers }, payload: { clientId: d.clientId, cursor: null } });
    const auth = await d.headers();
    const plain = await pull(auth);
    const zipped = await pull({ ...auth, 'accept-encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toMatch(/^application\/json/);
    const decoded = gunzipSync(zipped.rawPayload);
    expect(zipped.rawPayload.length).toBeLessThan(decoded.length / 3);
    expect(JSON.parse(decoded.toString('utf8'))).toEqual(plain.json());
  });

  it('a small answer is sent as it is', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health', headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json().status).toBe('ok');
  });

  it('a snapshot page stops once it passes the byte budget; the device ends with the same rows', async () => {
    const phone = staffPhone(small.org, small.unitNamed('石岭村').id);
    const paged = new TestDevice(small, phone);
    const sizes: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const page = await paged.pullPage();
      sizes.push(JSON.stringify(page.patch).length);
      paged.apply(page.patch);
      paged.cursor = page.cursor;
      // Never more than the budget plus the one row that passed it.
      const rows = page.patch.filter((op) => op.op === 'put').map((op) => Buffer.byteLength(JSON.stringify(op.row)));
      expect(rows.slice(0, -1).reduce((a, b) => a + b, 0)).toBeLessThan(PAGE_BYTES);
      if (!page.more) break;
    }
    expect(sizes.length).toBeGreaterThan(3);
    // The same rows a whole snapshot holds (sync-pull.test.ts checks those): the subtree and the units above it.
    const village = small.unitNamed('石岭村');
    const inVillage = small.org.households.filter((h) => small.org.units.find((u) => u.id === h.unitId)!.path.includes(village.id));
    expect([...paged.table('households').keys()].sort()).toEqual(inVillage.map((h) => h.id).sort());
    const units = small.org.units.filter((u) => u.path.includes(village.id) || village.path.slice(0, -1).includes(u.id));
    expect([...paged.table('units').keys()].sort()).toEqual(units.map((u) => u.id).sort());
  });

  it('change pages stop at the byte budget too, the cursor resuming after the last entry sent', async () => {
    const { phone, memberId } = memberPhone(small.org, small.unitNamed('石岭村第一村民小组党支部').id, 0);
    const author = new TestDevice(small, phone);
    const reader = new TestDevice(small, phone);
    await reader.pull();
    const households = small.org.households.filter((h) => h.memberId === memberId);
    const sent = Array.from({ length: 40 }, (_, i) => visitArgs(households[i % households.length]!.id, { summary: `第${i}次走访：${'了解情况，'.repeat(20)}` }));
    await author.push(sent.map((v) => author.mutation('visit.create', v)));
    let pages = 0;
    for (let i = 0; i < 100; i++) {
      const page = await reader.pullPage();
      reader.apply(page.patch);
      reader.cursor = page.cursor;
      pages += 1;
      if (!page.more) break;
    }
    expect(pages).toBeGreaterThan(3);
    expect([...reader.table('visits').keys()].sort()).toEqual(sent.map((v) => v.id).sort());
    expect(await reader.pull()).toEqual([]);
  });
});
