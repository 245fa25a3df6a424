import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import type { OpenedDb } from '../db/open.ts';
import type { PokeMessage } from '@shared/sync/protocol.ts';
import { POKE_CHANNEL, type Touched } from './change-buffer.ts';

/** A connected device, with what its pulls can see. */
export interface PokeTarget {
  memberId: string | null;
  /** Text paths of the subtrees the user supervises. */
  prefixes: string[];
  /** Text paths of the units whose unit-wide records reach this device (at or above its place). */
  anchorPaths: string[];
  spaceIds: string[];
  send(message: string): void;
}

const POKE = JSON.stringify({ type: 'poke' } satisfies PokeMessage);

/** Would a device with this scope see something of what a commit touched? */
export function wouldSee(t: PokeTarget, touched: Touched): boolean {
  if (touched.all) return touched.spaceIds.some((s) => t.spaceIds.includes(s));
  if (t.memberId && touched.memberIds.includes(t.memberId)) return true;
  if (touched.widePaths?.some((p) => t.anchorPaths.includes(p))) return true;
  return touched.unitPaths.some((p) => t.prefixes.some((prefix) => p.startsWith(prefix)));
}

/**
 * Pokes connected devices after commits. It listens on the database's NOTIFY channel, which
 * the change log writes to inside each writing transaction: PostgreSQL delivers it on commit to
 * every instance, so a push on one server pokes devices connected to another.
 */
export class PokeHub {
  private readonly targets = new Set<PokeTarget>();
  private listener: pg.Client | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private closed = false;

  constructor(
    private readonly db: OpenedDb,
    private readonly log: FastifyBaseLogger,
  ) {}

  add(target: PokeTarget): () => void {
    this.targets.add(target);
    return () => this.targets.delete(target);
  }

  get connected(): number {
    return this.targets.size;
  }

  deliver(touched: Touched): number {
    let n = 0;
    for (const t of this.targets) {
      if (!wouldSee(t, touched)) continue;
      try {
        t.send(POKE);
        n++;
      } catch (err) {
        this.log.debug({ err }, 'poke send failed');
      }
    }
    return n;
  }

  private onPayload = (payload: string | undefined) => {
    if (!payload) return;
    try {
      this.deliver(JSON.parse(payload) as Touched);
    } catch (err) {
      this.log.warn({ err }, 'bad poke payload');
    }
  };

  async start(): Promise<void> {
    if (this.db.pglite) {
      this.unlisten = await this.db.pglite.listen(POKE_CHANNEL, this.onPayload);
      return;
    }
    await this.connect();
  }

  /** A dedicated connection for LISTEN; if it drops, reconnect (missed pokes are covered by timers). */
  private async connect(): Promise<void> {
    if (this.closed || !this.db.url) return;
    const client = new pg.Client({ connectionString: this.db.url });
    client.on('notification', (msg) => this.onPayload(msg.payload));
    client.on('error', (err) => {
      this.log.warn({ err }, 'poke listener lost; reconnecting');
      this.listener = null;
      client.end().catch(() => {});
      setTimeout(() => void this.connect().catch(() => {}), 1000).unref();
    });
    await client.connect();
    await client.query(`listen ${POKE_CHANNEL}`);
    this.listener = client;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.targets) this.targets.delete(t);
    await this.unlisten?.();
    await this.listener?.end().catch(() => {});
  }
}
