import { DomainError, errorText, type ErrorCode } from '@shared/errors.ts';
import type { Scope } from '@shared/domain/scope.ts';
import type { UnitKind } from '@shared/domain/org-tree.ts';
import type { MeReply } from '@shared/schemas/account.ts';
import type { HouseholdRow } from '@shared/kinds/households.ts';
import type { MemberRow } from '@shared/kinds/members.ts';
import type { UnitRow } from '@shared/kinds/units.ts';
import { parseHlc } from '@shared/sync/hlc.ts';
import { runMutation } from '@shared/sync/mutators.ts';
import type { ConflictInput, MutatorTx, Person } from '@shared/sync/mutator-tx.ts';
import type { PatchOp, PullBody, PullReply, PushBody, PushReply, PushResult, Telemetry } from '@shared/sync/protocol.ts';
import { recordHome } from '@shared/sync/record-home.ts';
import { allKinds, kindOf, syncTables, type MutationArgs, type SyncRows, type SyncTable } from '@shared/sync/registry.ts';
import { uuidv7 } from '@shared/uuid.ts';
import { ApiError } from '../../api/http.ts';
import type { SyncTransport } from '../transport.ts';

/**
 * A small in-memory server that keeps the sync contract (DESIGN.md) for the client's tests:
 * push skips ids it already took, refuses a gap with 409 {expected}, runs each new mutation
 * through the shared mutators and rejects (keeping the id) what a rule refuses; pull sends a
 * `clear` and a snapshot for a null cursor, then what changed since, in pages, with the
 * client's lastMutationId. Scope is a member's own households and their records, read from
 * each kind's visibility rules; units and members are seen by everyone.
 * It is not the real server (that one is tested in server/test, also with the real client).
 */

type Rows = { [T in SyncTable]: Map<string, SyncRows[T]> };
type Row = Record<string, unknown> & { id: string };
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
interface Versioned {
  table: SyncTable;
  id: string;
  v: number;
}
interface Departure {
  v: number;
  householdId: string;
  memberId: string;
}

export interface LogEntry {
  clientId: string;
  id: number;
  name: string;
  status: PushResult['status'];
  code?: string;
}

/** Per device: whether the network is up and which answers get lost after the server acted. */
export interface FakeNetwork {
  online: boolean;
  /** Paths whose next answer is lost on the way back, after the server acted. */
  loseNextAnswer: Set<string>;
  /** Errors to answer instead of acting, one per call, per path. */
  failNext: Map<string, ApiError[]>;
  /** Awaited before each call: lets a test hold a request in flight. */
  gate?: (path: string) => Promise<void>;
}

export interface FakeDevice {
  transport: SyncTransport;
  net: FakeNetwork;
  /** Paths called, in order, with their bodies. */
  calls: { path: string; body: PushBody | PullBody }[];
}

const T0 = Date.parse('2026-03-01T08:00:00.000Z');

export class FakeServer {
  readonly rows = Object.fromEntries(syncTables().map((t) => [t, new Map()])) as unknown as Rows;
  readonly clients = new Map<string, { last: number; userId: string; revoked: 'retire' | 'lost' | null }>();
  readonly log: LogEntry[] = [];
  readonly telemetry: Telemetry[] = [];
  pageSize = 50;
  now = new Date(T0 + 3600_000);
  private version = 0;
  private readonly versions = new Map<string, Versioned>();
  private readonly departures: Departure[] = [];
  /** Who held which household since when (ms), for late visits. */
  private readonly holdings: { householdId: string; memberId: string; from: number; to: number | null }[] = [];

  // --- the world -------------------------------------------------------------------------

  write<T extends SyncTable>(table: T, row: SyncRows[T]): void {
    (this.rows[table] as Map<string, SyncRows[T]>).set(row.id, row);
    this.versions.set(`${table}:${row.id}`, { table, id: row.id, v: ++this.version });
  }

  addUnit(kind: UnitKind, name: string, parent: UnitRow | null): UnitRow {
    const id = uuidv7();
    const row: UnitRow = { id, kind, name, parentId: parent?.id ?? null, spaceId: null, retiredAt: null, path: [...(parent?.path ?? []), id] };
    this.write('units', row);
    return row;
  }

  addMember(unit: UnitRow, name: string): { member: MemberRow; me: MeReply } {
    const member: MemberRow = { id: uuidv7(), userId: uuidv7(), unitId: unit.id, name, centralHousehold: false };
    this.write('members', member);
    const me: MeReply = {
      id: member.userId, name, phone: '13800000000', roles: ['member'], mustChangePassword: false,
      member: { id: member.id, unit: { id: unit.id, kind: unit.kind as MeReply['units'][number]['kind'], name: unit.name }, centralHousehold: false },
      units: [],
    };
    return { member, me };
  }

  addHousehold(unit: UnitRow, memberId: string | null, headName: string): HouseholdRow {
    const row: HouseholdRow = {
      id: uuidv7(), unitId: unit.id, memberId, headName, phone: null, size: 3, address: { kind: 'village', houseNumber: `${this.rows.households.size + 1}号` },
      careTags: [], notes: '', updatedAt: new Date(T0).toISOString(), fieldMeta: {}, unitPath: unit.path,
    };
    this.write('households', row);
    if (memberId) this.holdings.push({ householdId: row.id, memberId, from: T0, to: null });
    return row;
  }

  /** An admin gives the household to another member (or nobody): the old holder's pull deletes it. */
  reassign(householdId: string, memberId: string | null): void {
    const h = this.rows.households.get(householdId)!;
    const at = this.now.getTime();
    for (const hold of this.holdings) if (hold.householdId === householdId && hold.to === null) hold.to = at;
    if (h.memberId) this.departures.push({ v: ++this.version, householdId, memberId: h.memberId });
    this.write('households', { ...h, memberId });
    if (memberId) this.holdings.push({ householdId, memberId, from: at, to: null });
    // The new holder must receive the household's records too: touch them, and theirs.
    const touched = new Map<string, Set<string>>([['households', new Set([householdId])]]);
    for (const kind of allKinds()) {
      const mine = touched.get(kind.table) ?? new Set<string>();
      for (const row of this.rows[kind.table as SyncTable].values() as Iterable<Row>) {
        const tied = kind.visibility.some((r) =>
          r.by === 'household' || r.by === 'households' ? ids(row[r.field]).includes(householdId) : r.by === 'parent' && ids(row[r.field]).some((id) => touched.get(r.table)?.has(id)));
        if (tied && kind.table !== 'households') {
          this.write(kind.table as SyncTable, row as never);
          mine.add(row.id);
        }
      }
      touched.set(kind.table, mine);
    }
  }

  revoke(clientId: string, kind: 'retire' | 'lost'): void {
    this.clients.get(clientId)!.revoked = kind;
  }

  // --- the endpoints ---------------------------------------------------------------------

  async push(body: PushBody, me: MeReply): Promise<PushReply> {
    const client = this.claim(body.clientId, me);
    if (client.revoked) throw apiError('CLIENT_REVOKED', { kind: client.revoked });
    if (body.telemetry) this.telemetry.push(body.telemetry);
    const fresh = [...body.mutations].filter((m) => m.id > client.last).sort((a, b) => a.id - b.id);
    fresh.forEach((m, i) => {
      if (m.id !== client.last + 1 + i) throw apiError('MUTATION_GAP', { expected: client.last + 1 + i });
    });
    const results: PushResult[] = body.mutations.filter((m) => m.id <= client.last).map((m) => ({ id: m.id, status: 'duplicate' }));
    for (const m of fresh) {
      const tx = new MemoryMutatorTx(this, me.id);
      let result: PushResult;
      try {
        const r = await runMutation(tx, this.context(me, m.hlc, body.clientId), m.name, m.args);
        tx.commit();
        result = { id: m.id, status: r.status };
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        result = { id: m.id, status: 'rejected', code: err.code, message: err.message };
      }
      results.push(result);
      this.log.push({ clientId: body.clientId, id: m.id, name: m.name, status: result.status, ...(result.code ? { code: result.code } : {}) });
    }
    if (fresh.length) client.last = fresh[fresh.length - 1]!.id;
    return { lastMutationId: client.last, results: results.sort((a, b) => a.id - b.id) };
  }

  pull(body: PullBody, me: MeReply): PullReply {
    const client = this.claim(body.clientId, me);
    if (client.revoked) return { cursor: '', more: false, lastMutationId: 0, patch: [], wipe: client.revoked };
    if (body.telemetry) this.telemetry.push(body.telemetry);
    const since = body.cursor?.startsWith('v:') ? Number(body.cursor.slice(2)) : null;
    const memberId = me.member?.id ?? '';
    const steps: { v: number; op: PatchOp }[] = [];
    for (const entry of this.versions.values()) {
      if (since !== null && entry.v <= since) continue;
      const row = this.rows[entry.table].get(entry.id)!;
      if (this.visible(entry.table, row as Row, memberId)) steps.push({ v: entry.v, op: { op: 'put', table: entry.table, row } as PatchOp });
    }
    if (since !== null) {
      for (const d of this.departures) if (d.v > since && d.memberId === memberId) steps.push({ v: d.v, op: { op: 'del', table: 'households', id: d.householdId } });
    }
    steps.sort((a, b) => a.v - b.v);
    const room = since === null ? this.pageSize - 1 : this.pageSize;
    const page = steps.slice(0, room);
    const more = steps.length > page.length;
    const patch = page.map((s) => s.op);
    if (since === null) patch.unshift({ op: 'clear' });
    return { cursor: `v:${more ? page[page.length - 1]!.v : this.version}`, more, lastMutationId: client.last, patch };
  }

  /** A transport for one device of `me`, with its own network. */
  device(me: MeReply): FakeDevice {
    const net: FakeNetwork = { online: true, loseNextAnswer: new Set(), failNext: new Map() };
    const calls: FakeDevice['calls'] = [];
    const call = async <R>(path: string, body: PushBody | PullBody, act: () => R | Promise<R>): Promise<R> => {
      calls.push({ path, body: structuredClone(body) });
      await net.gate?.(path);
      await Promise.resolve(); // answers never arrive synchronously
      if (!net.online) throw new ApiError(0, 'NETWORK', '网络不可用，请检查网络后重试');
      const failure = net.failNext.get(path)?.shift();
      if (failure) throw failure;
      const reply = await act();
      if (net.loseNextAnswer.delete(path)) throw new ApiError(0, 'TIMEOUT', '网络连接超时，请稍后重试');
      return structuredClone(reply);
    };
    return {
      net,
      calls,
      transport: {
        push: (body) => call('/api/sync/push', body, () => this.push(body, me)),
        pull: (body) => call('/api/sync/pull', body, () => this.pull(body, me)),
      },
    };
  }

  // --- inside ------------------------------------------------------------------------------

  private claim(clientId: string, me: MeReply) {
    let client = this.clients.get(clientId);
    if (!client) this.clients.set(clientId, (client = { last: 0, userId: me.id, revoked: null }));
    if (client.userId !== me.id) throw apiError('CLIENT_NOT_YOURS');
    return client;
  }

  private context(me: MeReply, hlc: string, clientId: string) {
    const scope: Scope = { userId: me.id, memberId: me.member?.id ?? null, readRoots: [], adminRoots: [] };
    return { side: 'server' as const, userId: me.id, memberId: scope.memberId, scope, hlc, now: this.now.toISOString(), deviceNow: parseHlc(hlc).wall, clientId };
  }

  /** A member's view, by the kinds' rules: units and members are everyone's in this small world. */
  private visible(table: SyncTable, row: Row, memberId: string): boolean {
    const held = (id: string) => this.rows.households.get(id)?.memberId === memberId;
    return kindOf(table).visibility.some((r) => {
      if (r.by === 'household' || r.by === 'households') return ids(row[r.field]).some(held);
      if (r.by === 'parent') {
        const parent = this.rows[r.table as SyncTable].get(ids(row[r.field])[0] ?? '') as Row | undefined;
        return parent !== undefined && this.visible(r.table as SyncTable, parent, memberId);
      }
      return true;
    });
  }

  heldAt(householdId: string, memberId: string, atMs: number): boolean {
    return this.holdings.some((h) => h.householdId === householdId && h.memberId === memberId && h.from <= atMs && (h.to === null || atMs < h.to));
  }
}

/**
 * The fake server's side of MutatorTx: writes wait in a buffer and land on commit, so a
 * rejected mutation leaves nothing (as a savepoint rollback does on the real server).
 */
class MemoryMutatorTx implements MutatorTx {
  private readonly writes: (() => void)[] = [];
  private readonly overlay = new Map<string, unknown>();
  constructor(
    private readonly server: FakeServer,
    private readonly userId: string,
  ) {}

  private read<T extends SyncTable>(table: T, id: string): SyncRows[T] | undefined {
    const key = `${table}:${id}`;
    return (this.overlay.has(key) ? this.overlay.get(key) : this.server.rows[table].get(id)) as SyncRows[T] | undefined;
  }

  private stage<T extends SyncTable>(table: T, row: SyncRows[T]) {
    this.overlay.set(`${table}:${row.id}`, row);
    this.writes.push(() => this.server.write(table, row));
  }

  commit() {
    for (const w of this.writes) w();
  }

  async get<T extends SyncTable>(table: T, id: string): Promise<SyncRows[T] | undefined> {
    return this.read(table, id);
  }

  /** Unit paths filled from the server's units, as the real server's lookups do. */
  async put<T extends SyncTable>(table: T, row: SyncRows[T]): Promise<void> {
    const filled = { ...(row as Row) };
    for (const [field, lookup] of Object.entries(kindOf(table).lookups ?? {})) {
      if (lookup?.table === 'units') filled[field] = this.server.rows.units.get(filled[lookup.key] as string)?.path ?? filled[field];
    }
    this.stage(table, filled as SyncRows[T]);
  }

  async heldAt(householdId: string, memberId: string, atMs: number) {
    return this.server.heldAt(householdId, memberId, atMs);
  }

  async person(id: string): Promise<Person | undefined> {
    const m = this.server.rows.members.get(id) ?? [...this.server.rows.members.values()].find((x) => x.userId === id);
    return m ? { userId: m.userId, memberId: m.id, unitPath: this.server.rows.units.get(m.unitId)?.path ?? null, grantPaths: [] } : undefined;
  }

  async addConflict(c: ConflictInput) {
    const record = this.read(c.table, c.recordId) as Row | undefined;
    const home = record ? await recordHome(this, c.table, record) : { householdIds: [], unitId: null };
    this.stage('conflicts', {
      id: uuidv7(), tableName: c.table, recordId: c.recordId, householdIds: home.householdIds, unitId: home.unitId ?? '', field: c.field, policy: c.policy,
      keptValue: c.keptValue, lostValue: c.lostValue, keptBy: c.keptBy, lostBy: c.lostBy ?? this.userId, keptHlc: c.keptHlc, lostHlc: c.lostHlc, status: c.status,
      createdAt: this.server.now.toISOString(), resolvedAt: null, resolvedBy: null, resolution: null, resolutionNote: null,
    });
  }

  async addEvent() {}
}

export function apiError(code: ErrorCode, details: Record<string, unknown> = {}): ApiError {
  const status = { MUTATION_GAP: 409, CLIENT_REVOKED: 410, CLIENT_NOT_YOURS: 403, UNAUTHENTICATED: 401, SESSION_EXPIRED: 401, INTERNAL: 500 }[code as string] ?? 400;
  return new ApiError(status, code, errorText(code), details);
}

/** A visit as the form sends it. */
export function visitArgs(householdId: string, extra: Partial<MutationArgs['visit.create']> = {}): MutationArgs['visit.create'] {
  return {
    id: uuidv7(), householdId, visitedAt: new Date(T0 + 1800_000).toISOString(), method: 'in_person', duty: 'concerns',
    summary: '了解老人身体情况，反映路灯坏了', followUp: false, ...extra,
  };
}

/** A town, a village, a villager group with two members: four households for one, one for the other. */
export function seedVillage(server = new FakeServer()) {
  const town = server.addUnit('town', '平冈镇', null);
  const village = server.addUnit('village', '石岭村党委', town);
  const group = server.addUnit('villager_group', '石岭村第一村民小组党支部', village);
  const li = server.addMember(group, '李党员');
  const wang = server.addMember(group, '王党员');
  const households = ['陈大', '黄二', '林三', '周四'].map((n) => server.addHousehold(group, li.member.id, n));
  const other = server.addHousehold(group, wang.member.id, '吴五');
  return { server, town, village, group, li, wang, households, other };
}
