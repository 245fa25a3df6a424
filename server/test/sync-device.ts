import { HlcClock } from '@shared/sync/hlc.ts';
import { SCHEMA_VERSION } from '@shared/sync/mutators.ts';
import type { PatchOp, PullReply, PushReply, SyncTable } from '@shared/sync/protocol.ts';
import { uuidv7 } from '@shared/uuid.ts';
import type { VisitCreateArgs } from '@shared/kinds/visits.ts';
import type { TestApp } from './test-app.ts';

/**
 * A minimal device for server tests: numbers mutations, pushes them, pulls pages and keeps the
 * rows it was sent — enough to check the protocol without the browser client.
 */
export class TestDevice {
  readonly clientId = `test-${uuidv7()}`;
  readonly clock: HlcClock;
  nextId = 1;
  cursor: string | null = null;
  lastMutationId = 0;
  readonly rows = new Map<SyncTable, Map<string, Record<string, unknown>>>();
  private auth: { authorization: string } | null = null;

  constructor(
    private readonly t: TestApp,
    readonly phone: string,
  ) {
    this.clock = new HlcClock(this.clientId, () => t.clock.now.getTime());
  }

  async headers() {
    this.auth ??= await this.t.as(this.phone);
    return this.auth;
  }

  /** A mutation stamped now, with the next id. */
  mutation(name: string, args: unknown) {
    return { id: this.nextId++, name, args, hlc: this.clock.tick() };
  }

  async pushRaw(mutations: { id: number; name: string; args: unknown; hlc: string }[], schemaVersion = SCHEMA_VERSION) {
    return this.t.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: await this.headers(),
      payload: { clientId: this.clientId, schemaVersion, mutations },
    });
  }

  async push(mutations: { id: number; name: string; args: unknown; hlc: string }[]): Promise<PushReply> {
    const res = await this.pushRaw(mutations);
    if (res.statusCode !== 200) throw new Error(`push ${res.statusCode}: ${res.body}`);
    return res.json();
  }

  async pullPage(): Promise<PullReply> {
    const res = await this.t.app.inject({
      method: 'POST',
      url: '/api/sync/pull',
      headers: await this.headers(),
      payload: { clientId: this.clientId, cursor: this.cursor },
    });
    if (res.statusCode !== 200) throw new Error(`pull ${res.statusCode}: ${res.body}`);
    return res.json();
  }

  /** Pulls until done; returns every patch op received. */
  async pull(): Promise<PatchOp[]> {
    const all: PatchOp[] = [];
    for (let i = 0; i < 10_000; i++) {
      const page = await this.pullPage();
      this.apply(page.patch);
      all.push(...page.patch);
      this.cursor = page.cursor;
      this.lastMutationId = page.lastMutationId;
      if (!page.more) return all;
    }
    throw new Error('pull never finished');
  }

  apply(patch: PatchOp[]) {
    for (const op of patch) {
      if (op.op === 'clear') this.rows.clear();
      else if (op.op === 'put') this.table(op.table).set(op.row.id, op.row as unknown as Record<string, unknown>);
      else {
        this.table(op.table).delete(op.id);
        if (op.table === 'households') {
          for (const [id, v] of this.table('visits')) if (v.householdId === op.id) this.table('visits').delete(id);
        }
      }
    }
  }

  table(name: SyncTable) {
    let t = this.rows.get(name);
    if (!t) this.rows.set(name, (t = new Map()));
    return t;
  }
}

/** A visit.create argument set for a household. */
export function visitArgs(householdId: string, extra: Partial<VisitCreateArgs> = {}): VisitCreateArgs {
  return {
    id: uuidv7(),
    householdId,
    visitedAt: new Date().toISOString(),
    method: 'in_person',
    duty: 'concerns',
    summary: '了解老人身体情况，反映路灯坏了',
    followUp: true,
    ...extra,
  };
}
