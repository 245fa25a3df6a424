import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient } from 'kysely';

/**
 * PGlite is one connection in this process. Kysely's Postgres dialect wants a pool, so this
 * hands out that one connection to one borrower at a time: a transaction keeps it until it
 * commits, and every other query waits its turn, which is what a real pool of size 1 does.
 */
export function pglitePool(pg: PGlite): PostgresPool {
  let tail: Promise<void> = Promise.resolve();

  const client = {
    async query(sql: string, params: readonly unknown[]) {
      const result = await pg.query(sql, params as unknown[]);
      return { command: commandOf(sql), rowCount: result.affectedRows ?? 0, rows: result.rows };
    },
    release: () => {},
  };

  return {
    async connect() {
      let release!: () => void;
      const turn = new Promise<void>((resolve) => (release = resolve));
      const previous = tail;
      tail = previous.then(() => turn);
      await previous;
      return { ...client, release } as unknown as PostgresPoolClient;
    },
    async end() {
      await tail;
      await pg.close();
    },
  };
}

/** Kysely reports affected rows only for these commands, as `pg` names them. */
function commandOf(sql: string): string {
  const head = sql.trimStart().slice(0, 12).toLowerCase();
  for (const c of ['insert', 'update', 'delete', 'merge']) if (head.startsWith(c)) return c.toUpperCase();
  const main = /\)\s*(insert|update|delete|merge)\b/i.exec(sql);
  return head.startsWith('with') && main ? main[1]!.toUpperCase() : 'SELECT';
}
