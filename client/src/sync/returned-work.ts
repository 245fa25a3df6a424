import type { Label } from '@shared/sync/kind.ts';
import { mutationDef, type MutationName } from '@shared/sync/registry.ts';
import { uuidv7 } from '@shared/uuid.ts';
import type { LianxinDb, RejectedEntry } from '../db/lianxin-db.ts';

/**
 * Work the server refused and returned to the member (the 退回 screen): what it was, the text
 * they may correct, and how it goes again or goes away — read from each change's declaration,
 * so a new kind's changes need nothing here.
 */

type Args = Record<string, unknown>;
const UNKNOWN: Label = { zh: '其他修改', en: 'Other change' };

/** What the change was, in the member's language. */
export function returnedLabel(e: Pick<RejectedEntry, 'name'>, lang: 'zh' | 'en'): string {
  return (mutationDef(e.name)?.def.label ?? UNKNOWN)[lang];
}

/** The dotted path of the text a member may correct, if the change has one. */
export function correctableField(e: Pick<RejectedEntry, 'name'>): string | null {
  return mutationDef(e.name)?.def.correctable ?? null;
}

function valueAt(args: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Args)[k] : undefined), args);
}

function withValueAt(args: unknown, path: string, value: unknown): Args {
  const [head, ...rest] = path.split('.');
  const base = (args && typeof args === 'object' ? args : {}) as Args;
  return { ...base, [head!]: rest.length ? withValueAt(base[head!], rest.join('.'), value) : value };
}

/** The correctable text as the member wrote it. */
export function correctableText(e: Pick<RejectedEntry, 'name' | 'args'>): string {
  const field = correctableField(e);
  const v = field ? valueAt(e.args, field) : undefined;
  return typeof v === 'string' ? v : '';
}

/** A line saying what the change held, for the list. */
export function returnedSummary(e: Pick<RejectedEntry, 'name' | 'args'>): string {
  const text = correctableText(e);
  if (text) return text.slice(0, 80);
  const a = (e.args ?? {}) as Args;
  return String(a.to ?? a.note ?? '').slice(0, 80);
}

/** A refused new record shown on the phone leaves it with the refusal (or before going again). */
async function dropLocalCopy(db: LianxinDb, e: RejectedEntry): Promise<void> {
  const found = mutationDef(e.name);
  if (!found?.def.creates) return;
  const id = found.def.record(e.args);
  if (typeof id === 'string') await db.table(found.kind.table).delete(id);
}

/** The member decided to drop a refused change: deliberately, never by itself. */
export async function discardReturned(db: LianxinDb, e: RejectedEntry): Promise<void> {
  await db.transaction('rw', [...db.dataTables(), db.rejected], async () => {
    await dropLocalCopy(db, e);
    await db.rejected.delete(e.id);
  });
}

/**
 * Sends a refused change again as new work, with the corrected text; a new record goes under
 * a new id (the old one may be taken on the server). `mutate` runs the rules on the phone
 * first and queues the change; the refusal goes only once that has worked.
 */
export async function resendReturned(
  db: LianxinDb,
  e: RejectedEntry,
  text: string | undefined,
  mutate: (name: MutationName, args: unknown) => Promise<unknown>,
): Promise<void> {
  const found = mutationDef(e.name);
  if (!found) throw new Error(e.message);
  const field = found.def.correctable;
  let args: unknown = field && text !== undefined ? withValueAt(e.args, field, text) : e.args;
  if (found.def.creates) {
    await dropLocalCopy(db, e);
    args = { ...(args as Args), id: uuidv7() };
  }
  await mutate(e.name as MutationName, args);
  await db.rejected.delete(e.id);
}
