import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sameValue } from '@shared/sync/same-value.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';

type Field = 'notes' | 'phone' | 'headName';
const FIELDS: Field[] = ['notes', 'phone', 'headName'];
// Values carry the run number, so runs that come back to the same households (while shrinking) never meet.
const pad = (n: number) => String(n % 10000).padStart(4, '0');
const valueFor = (field: Field, run: number, n: number) => (field === 'phone' ? `139${pad(run)}${pad(n)}` : field === 'notes' ? `备注${run}-${n}` : `户主${run}-${n}`);

type Cmd =
  | { kind: 'visit'; client: number; household: number }
  | { kind: 'edit'; client: number; household: number; field: Field; n: number }
  | { kind: 'sync'; client: number; dropPush: boolean; dropPull: boolean };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ kind: fc.constant('visit' as const), client: fc.nat(2), household: fc.nat(1) }),
  fc.record({ kind: fc.constant('edit' as const), client: fc.nat(2), household: fc.nat(1), field: fc.constantFrom(...FIELDS), n: fc.nat(9999) }),
  fc.record({ kind: fc.constant('sync' as const), client: fc.nat(2), dropPush: fc.boolean(), dropPull: fc.boolean() }),
);

/**
 * A simulated phone for the property test: it queues mutations offline, applies its own edits
 * to its copy at once, and rebases them over each pull.
 */
class Phone {
  queue: ReturnType<TestDevice['mutation']>[] = [];
  constructor(readonly d: TestDevice) {}

  household(id: string) {
    return this.d.table('households').get(id) as { fieldMeta: Record<string, { v: number }> } & Record<string, unknown>;
  }

  edit(id: string, field: Field, value: string) {
    const h = this.household(id);
    const base = h.fieldMeta[field]?.v ?? 0;
    this.queue.push(this.d.mutation('household.update', { id, changes: { [field]: { value, baseVersion: base } } }));
    this.applyLocal(id, field, value, base);
  }

  // As the app does: the value shows at once; the version stays the server's.
  private applyLocal(id: string, field: Field, value: string, base: number) {
    const h = this.household(id);
    if ((h.fieldMeta[field]?.v ?? 0) !== base) return; // the server will settle it
    h[field] = value;
  }

  async sync(dropPush: boolean, dropPull: boolean) {
    const pending = this.queue.filter((m) => m.id > this.d.lastMutationId);
    if (pending.length) {
      const reply = await this.d.push(pending);
      if (!dropPush) this.d.lastMutationId = reply.lastMutationId;
    }
    if (dropPull) {
      await this.d.pullPage(); // the answer is lost on the way
      return;
    }
    await this.d.pull();
    // Re-apply what the server has not confirmed over the fresh rows.
    for (const m of this.queue.filter((q) => q.id > this.d.lastMutationId)) {
      if (m.name !== 'household.update') continue;
      const a = m.args as { id: string; changes: Record<Field, { value: string; baseVersion: number }> };
      for (const [field, c] of Object.entries(a.changes)) this.applyLocal(a.id, field as Field, c.value, c.baseVersion);
    }
  }
}

describe.each(DB_KINDS)('convergence under random offline work on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { pullPageSize: 20 });
  });
  afterAll(() => t.close());

  it('every device and the server end with the same rows; every visit once; every lost value in a conflict', async () => {
    // Printed first: a run that times out (no counterexample) can still be repeated with FC_SEED.
    const seed = Number(process.env.FC_SEED ?? Date.now() % 100000);
    console.log(`convergence on ${kind}: FC_SEED=${seed}`);
    const db = t.testDb.opened.db;
    // Each run takes a different branch member, so runs do not share households.
    let run = 0;
    const branches = t.org.units.filter((u) => u.kind === 'villager_group' || u.kind === 'compound');
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 30 }), async (cmds) => {
        const branch = branches[Math.floor(run / 4) % branches.length]!;
        const { phone, memberId } = memberPhone(t.org, branch.id, run % 4);
        run++;
        const households = t.org.households.filter((h) => h.memberId === memberId).slice(0, 2).map((h) => h.id);
        // Two phones of the liaison and the branch secretary's.
        const phones = [new Phone(new TestDevice(t, phone)), new Phone(new TestDevice(t, phone)), new Phone(new TestDevice(t, staffPhone(t.org, branch.id)))];
        for (const p of phones) await p.sync(false, false);
        // Households may come round again while shrinking: the replay starts from where they are.
        const start = await db.selectFrom('households').select(['id', 'head_name', 'phone', 'notes', 'field_meta']).where('id', 'in', households).execute();
        const visits: string[] = [];
        const written: { household: string; field: Field; value: string }[] = [];

        for (const c of cmds) {
          const p = phones[c.client]!;
          t.clock.now = new Date(t.clock.now.getTime() + 1000);
          if (c.kind === 'visit') {
            if (c.client === 2) continue; // supervisors do not log visits
            const args = visitArgs(households[c.household % households.length]!);
            visits.push(args.id);
            p.queue.push(p.d.mutation('visit.create', args));
          } else if (c.kind === 'edit') {
            const household = households[c.household % households.length]!;
            const value = valueFor(c.field, run, c.n);
            written.push({ household, field: c.field, value });
            p.edit(household, c.field, value);
          } else {
            await p.sync(c.dropPush, c.dropPull);
          }
        }
        // Everyone comes back online; two rounds so each sees the others' last pushes.
        for (let round = 0; round < 2; round++) for (const p of phones) await p.sync(false, false);

        for (const p of phones) expect(p.queue.filter((m) => m.id > p.d.lastMutationId)).toEqual([]);
        const server = await db.selectFrom('households').select(['id', 'head_name', 'phone', 'notes', 'field_meta']).where('id', 'in', households).execute();
        for (const row of server) {
          for (const p of phones) {
            const local = p.household(row.id);
            expect({ headName: local.headName, phone: local.phone, notes: local.notes, fieldMeta: local.fieldMeta }).toEqual({
              headName: row.head_name, phone: row.phone, notes: row.notes, fieldMeta: row.field_meta,
            });
          }
        }
        if (visits.length) {
          const stored = await db.selectFrom('visits').select('id').where('id', 'in', visits).execute();
          expect(stored.map((v) => v.id).sort()).toEqual([...new Set(visits)].sort());
          for (const p of phones) for (const id of visits) expect(p.d.table('visits').has(id)).toBe(true);
        }
        // Nothing typed vanishes: a written value is the field's value now, was seen by whoever
        // overwrote it (their edit was based on it), or sits in a conflict record.
        const conflicts = await db.selectFrom('conflicts').selectAll().where('record_id', 'in', households).execute();
        const log = await db
          .selectFrom('mutation_log')
          .select(['args', 'status', 'client_id'])
          .where('name', '=', 'household.update')
          .where('client_id', 'in', phones.map((p) => p.d.clientId))
          .orderBy('id')
          .execute();
        const history = replay(
          start,
          log.map((l) => ({ ...(l.args as { id: string; changes: Record<string, { value: unknown; baseVersion: number }> }), clientId: l.client_id })),
          (h, f, value) => conflicts.some((c) => c.record_id === h && c.field === f && c.policy === 'lww' && sameValue(c.kept_value, value)),
        );
        for (const w of written) {
          const current = server.find((r) => r.id === w.household)!;
          const now = w.field === 'headName' ? current.head_name : current[w.field];
          if (sameValue(now, w.value)) continue;
          if (history.overwritten(w.household, w.field, w.value)) continue;
          const inConflict = conflicts.some((c) => c.record_id === w.household && c.field === w.field && (sameValue(c.lost_value, w.value) || sameValue(c.kept_value, w.value)));
          expect(inConflict, `${w.field}=${w.value} on ${w.household} lost without a conflict`).toBe(true);
        }
      }),
      // Bounded in time as well as in runs: on a loaded machine fewer runs finish, but each still
      // checks everything, and a counterexample found fails at once. Too few runs fails below.
      { numRuns: kind === 'pglite' ? 25 : 15, seed, interruptAfterTimeLimit: 150_000, markInterruptAsFailure: false },
    );
    expect(run, 'random runs finished within the time limit').toBeGreaterThanOrEqual(5);
  }, 240_000); // dozens of random runs of three phones each: far longer than one scenario
});

/**
 * Follows the edits in the order the server applied them and remembers which values were
 * replaced by an edit made on top of them: one based on the version they produced, or the
 * next edit from the same device (which had them on screen), also after a concurrent edit of
 * that device won its field (FC_SEED=82711 found the oracle missing that case).
 */
function replay(
  start: { id: string; head_name: string; phone: string | null; notes: string; field_meta: Record<string, { v: number; c?: string }> }[],
  edits: { id: string; clientId: string; changes: Record<string, { value: unknown; baseVersion: number }> }[],
  /** A concurrent edit that won its field (last writer wins): later edits from its device build on it. */
  wonConflict: (household: string, field: string, value: unknown) => boolean,
) {
  const state = new Map<string, { v: number; value: unknown; clientId?: string }>();
  const seenAndReplaced = new Set<string>();
  const key = (h: string, f: string) => `${h}/${f}`;
  for (const h of start) {
    const values: Record<Field, unknown> = { headName: h.head_name, phone: h.phone, notes: h.notes };
    for (const f of FIELDS) state.set(key(h.id, f), { v: h.field_meta[f]?.v ?? 0, value: values[f], clientId: h.field_meta[f]?.c });
  }
  for (const e of edits) {
    for (const [field, c] of Object.entries(e.changes)) {
      const s = state.get(key(e.id, field)) ?? { v: 0, value: undefined };
      if (c.baseVersion !== s.v && s.clientId !== e.clientId) {
        // Concurrent: the value it beat or lost to is in a conflict. Had it won, it is the
        // field's value now, and the same device's next edit replaces it as its own.
        if (wonConflict(e.id, field, c.value)) state.set(key(e.id, field), { v: s.v + 1, value: c.value, clientId: e.clientId });
        continue;
      }
      if (sameValue(s.value, c.value)) continue;
      seenAndReplaced.add(`${key(e.id, field)}=${JSON.stringify(s.value)}`);
      state.set(key(e.id, field), { v: s.v + 1, value: c.value, clientId: e.clientId });
    }
  }
  return { overwritten: (h: string, f: string, value: unknown) => seenAndReplaced.has(`${key(h, f)}=${JSON.stringify(value)}`) };
}
