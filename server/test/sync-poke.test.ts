import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { openDb, type OpenedDb } from '../src/db/open.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';

/** Opens the poke socket and collects what arrives. */
async function socket(base: string, token: string) {
  const messages: string[] = [];
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/sync/poke?token=${encodeURIComponent(token)}`);
  ws.on('message', (m) => messages.push(m.toString()));
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    // The server says hello once the socket is registered for pokes.
    const wait = () => (messages.length ? resolve() : setTimeout(wait, 10));
    ws.once('open', wait);
  });
  return { ws, pokes: () => messages.filter((m) => JSON.parse(m).type === 'poke').length };
}

const until = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return check();
};

describe.each(DB_KINDS)('poke socket on %s', (kind) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  const group = () => t.unitNamed('石岭村第一村民小组党支部');
  const token = async (phone: string) => (await t.as(phone)).authorization.slice('Bearer '.length);

  it('pokes the devices whose scope a commit touched, and no others', async () => {
    const { phone, memberId } = memberPhone(t.org, group().id, 0);
    const mine = await socket(base, await token(phone));
    const neighbour = await socket(base, await token(memberPhone(t.org, group().id, 1).phone));
    const village = await socket(base, await token('13800000004'));
    const community = await socket(base, await token('13800000011'));
    const d = new TestDevice(t, phone);
    await d.push([d.mutation('visit.create', visitArgs(t.org.households.find((h) => h.memberId === memberId)!.id))]);
    expect(await until(() => mine.pokes() === 1 && village.pokes() === 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect([neighbour.pokes(), community.pokes()]).toEqual([0, 0]);
    for (const s of [mine, neighbour, village, community]) s.ws.close();
  });

  it('refuses a socket without a valid token', async () => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/sync/poke?token=nope`);
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(4401);
  });

});

// Two instances on one database need a real PostgreSQL; test-db.ts fails CI if none is given.
if (DB_KINDS.includes('postgres')) {
  describe('pokes across server instances on postgres', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp('postgres');
      await t.app.listen({ port: 0, host: '127.0.0.1' });
    });
    afterAll(() => t.close());
    const group = () => t.unitNamed('石岭村第一村民小组党支部');
    const token = async (phone: string) => (await t.as(phone)).authorization.slice('Bearer '.length);

  it('crosses server instances through LISTEN/NOTIFY', async () => {
    const second: OpenedDb = await openDb({ kind: 'postgres', url: t.testDb.opened.url!, poolSize: 2 });
    const other: FastifyInstance = await buildApp({ db: second });
    try {
      const otherBase = await other.listen({ port: 0, host: '127.0.0.1' });
      const { phone, memberId } = memberPhone(t.org, group().id, 2);
      // The device listens on instance B; its colleague pushes to instance A.
      const onB = await socket(otherBase, await token(phone));
      const d = new TestDevice(t, phone);
      await d.push([d.mutation('visit.create', visitArgs(t.org.households.find((h) => h.memberId === memberId)!.id))]);
      expect(await until(() => onB.pokes() === 1)).toBe(true);
      onB.ws.close();
    } finally {
      await other.close();
      await second.close();
    }
  });
  });
}
