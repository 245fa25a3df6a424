import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { buildApp } from './app.ts';
import { openDb, type DbConfig } from './db/open.ts';
import { migrateToLatest } from './db/migrate.ts';
import { DEMO_SIZE, generateOrg } from './demo/generate-org.ts';
import { DEMO_PASSWORD, isEmpty, loadOrg } from './demo/load-org.ts';
import { DEFAULT_CONFIG } from './config.ts';

/** API requests served at once on PGlite before the rest are told to come back (bench/pglite-busy.ts). */
const PGLITE_QUEUE_LIMIT = 32;

/** Reads configuration from the environment and flags, then starts. Nothing else lives here. */
async function main() {
  const started = performance.now();
  const args = process.argv.slice(2);
  const env = process.env;
  const url = env.DATABASE_URL;
  const dbConfig: DbConfig = url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: resolve(env.LIANXIN_DATA_DIR ?? './data') };
  // Embedded mode is for trying the app: demo data unless refused. A real database only on request.
  const demo = args.includes('--demo') || env.LIANXIN_DEMO === '1' || (!url && env.LIANXIN_DEMO !== '0');
  const port = Number(env.PORT ?? 3000);
  const host = env.HOST ?? '0.0.0.0';
  const version = JSON.parse(readFileSync(resolve('package.json'), 'utf8')).version as string;

  const opened = await openDb(dbConfig);
  await migrateToLatest(opened.db);
  let logins: ReturnType<typeof generateOrg>['logins'] = [];
  const fresh = await isEmpty(opened.db);
  if (demo && fresh) {
    const org = generateOrg(DEMO_SIZE);
    await loadOrg(opened.db, org);
    logins = org.logins;
  }
  const app = await buildApp({
    db: opened,
    logger: env.LOG_LEVEL === 'silent' ? false : { level: env.LOG_LEVEL ?? 'info' },
    config: {
      version,
      clientDir: resolve(env.LIANXIN_CLIENT_DIR ?? 'dist/client'),
      // PGlite is one connection: bound its line (README, "PGlite or PostgreSQL"). A real
      // PostgreSQL has a pool; bound it only when asked.
      dbQueueLimit: env.LIANXIN_DB_QUEUE_LIMIT ? Number(env.LIANXIN_DB_QUEUE_LIMIT) || null : dbConfig.kind === 'pglite' ? PGLITE_QUEUE_LIMIT : null,
      trustProxy: env.LIANXIN_TRUST_PROXY ?? false,
      limits: {
        min: Number(env.LIANXIN_MIN_HOUSEHOLDS ?? DEFAULT_CONFIG.limits.min),
        max: Number(env.LIANXIN_MAX_HOUSEHOLDS ?? DEFAULT_CONFIG.limits.max),
      },
      pullPageSize: Number(env.LIANXIN_PULL_PAGE_ROWS ?? DEFAULT_CONFIG.pullPageSize),
      pullPageBytes: Number(env.LIANXIN_PULL_PAGE_KB ?? DEFAULT_CONFIG.pullPageBytes / 1024) * 1024,
      retention: {
        changeLogHoldDays: Number(env.LIANXIN_CHANGE_LOG_HOLD_DAYS ?? DEFAULT_CONFIG.retention.changeLogHoldDays),
        mutationLogDays: Number(env.LIANXIN_MUTATION_LOG_DAYS ?? DEFAULT_CONFIG.retention.mutationLogDays),
        archiveDir: env.LIANXIN_ARCHIVE_DIR ? resolve(env.LIANXIN_ARCHIVE_DIR) : null,
        intervalMs: Number(env.LIANXIN_PRUNE_MINUTES ?? DEFAULT_CONFIG.retention.intervalMs / 60_000) * 60_000,
      },
    },
  });
  await app.listen({ port, host });

  const where = dbConfig.kind === 'pglite' ? `PGlite (embedded) in ${dbConfig.dataDir}` : 'PostgreSQL (DATABASE_URL)';
  console.log(`\n连心 Lianxin ${version} — http://localhost:${port}  (${where}, ready in ${Math.round(performance.now() - started)} ms)`);
  if (logins.length) {
    console.log(`演示账号 Demo logins (password ${DEMO_PASSWORD}):`);
    for (const l of logins) console.log(`  ${l.phone}  ${l.role.padEnd(12, '　')}  ${l.unit}`);
  } else if (demo && !fresh) {
    console.log(`Demo data was loaded on first start; logins are listed in README.md (password ${DEMO_PASSWORD}).`);
  }

  const stop = async () => {
    await app.close();
    await opened.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
