import { Migrator, type Kysely, type Migration } from 'kysely';
import { migrations } from './migrations/index.ts';

/** Brings the schema up to date; throws with the failing migration's error. `list` is for tests. */
export async function migrateToLatest(db: Kysely<any>, list: Record<string, Migration> = migrations): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => list } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}
