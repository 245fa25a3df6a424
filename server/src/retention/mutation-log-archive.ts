import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;
const DAY_MS = 24 * 3600 * 1000;
const BATCH = 5000;

/**
 * The mutation log as JSONL, one row per line in id order, from `after` (inclusive) to
 * `before` (exclusive) by server time; read in batches so a year of log never sits in memory.
 */
export async function* mutationLogLines(db: Db, range: { before: Date; after?: Date }): AsyncGenerator<string> {
  let lastId = 0;
  for (;;) {
    let q = db.selectFrom('mutation_log').selectAll().where('id', '>', lastId).where('server_time', '<', range.before);
    if (range.after) q = q.where('server_time', '>=', range.after);
    const rows = await q.orderBy('id').limit(BATCH).execute();
    for (const r of rows) yield `${JSON.stringify(r)}\n`;
    if (rows.length < BATCH) return;
    lastId = Number(rows[rows.length - 1]!.id);
  }
}

/**
 * Keeps the mutation log for `days`: older rows are first written to a gzipped JSONL file in
 * `archiveDir` (when set), then deleted — only rows up to the last one archived, so a row is
 * never deleted unarchived.
 */
export async function pruneMutationLog(db: Db, now: Date, days: number, archiveDir: string | null): Promise<{ deleted: number; file: string | null }> {
  const before = new Date(now.getTime() - days * DAY_MS);
  let file: string | null = null;
  let upTo: number | null = null;
  if (archiveDir) {
    const last = await db.selectFrom('mutation_log').select((eb) => eb.fn.max('id').as('id')).where('server_time', '<', before).executeTakeFirst();
    if (last?.id == null) return { deleted: 0, file: null };
    upTo = Number(last.id);
    await mkdir(archiveDir, { recursive: true });
    file = join(archiveDir, `mutation-log-before-${before.toISOString().slice(0, 10)}-${now.getTime()}.jsonl.gz`);
    await pipeline(mutationLogLines(db, { before }), createGzip(), createWriteStream(file));
  }
  let q = db.deleteFrom('mutation_log').where('server_time', '<', before);
  if (upTo !== null) q = q.where('id', '<=', upTo);
  const del = await q.executeTakeFirst();
  return { deleted: Number(del.numDeletedRows), file };
}
