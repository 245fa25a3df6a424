import type { FastifyInstance } from 'fastify';
import { pruneChangeLog } from './change-log-pruning.ts';
import { pruneMutationLog } from './mutation-log-archive.ts';

/** One retention pass: the change log behind every cursor in use, the mutation log past its period. */
export async function pruneLogs(app: FastifyInstance) {
  const { retention } = app.config;
  const now = app.now();
  const changes = await pruneChangeLog(app.db, now, retention.changeLogHoldDays);
  const mutations = await pruneMutationLog(app.db, now, retention.mutationLogDays, retention.archiveDir);
  return { changes, mutations };
}

/** Runs `pruneLogs` every `retention.intervalMs` (0: never); a failed pass is logged and retried next time. */
export function startRetentionTimer(app: FastifyInstance) {
  const every = app.config.retention.intervalMs;
  if (!every) return;
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    running ??= pruneLogs(app)
      .then((r) => app.log.info({ retention: r }, 'retention pass'))
      .catch((err: unknown) => app.log.error({ err }, 'retention pass failed'))
      .finally(() => (running = null));
  }, every);
  timer.unref();
  // The database closes after the app: a pass under way finishes first.
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}
