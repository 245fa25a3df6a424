/**
 * Writes the mutation log as JSONL (one row per line, id order) to standard output or a file, for
 * an archive before retention deletes it (the server also archives by itself when
 * LIANXIN_ARCHIVE_DIR is set). Reads DATABASE_URL, or the PGlite folder LIANXIN_DATA_DIR (./data)
 * — with the server stopped, since PGlite opens its folder in one process only.
 *
 *   npx tsx scripts/export-mutation-log.ts --before 2025-01-01 [--after 2024-01-01] [--out log.jsonl.gz]
 */
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { parseArgs } from 'node:util';
import { openDb } from '../server/src/db/open.ts';
import { mutationLogLines } from '../server/src/retention/mutation-log-archive.ts';

const { values } = parseArgs({ options: { before: { type: 'string' }, after: { type: 'string' }, out: { type: 'string' } } });
const before = values.before ? new Date(values.before) : new Date();
const after = values.after ? new Date(values.after) : undefined;
if (Number.isNaN(before.getTime()) || (after && Number.isNaN(after.getTime()))) {
  console.error('--before and --after take dates, e.g. 2025-01-01');
  process.exit(2);
}
const url = process.env.DATABASE_URL;
const opened = await openDb(url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: resolve(process.env.LIANXIN_DATA_DIR ?? './data') });
try {
  const sink: Writable[] = values.out ? [...(values.out.endsWith('.gz') ? [createGzip()] : []), createWriteStream(values.out)] : [process.stdout];
  await pipeline(Readable.from(mutationLogLines(opened.db, { before, ...(after ? { after } : {}) })), ...(sink as [Writable]));
} finally {
  await opened.close();
}
