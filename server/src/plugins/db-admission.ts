import fp from 'fastify-plugin';
import { DomainError } from '@shared/errors.ts';

/**
 * A bound on the API requests being served at once (each waits on the database at most once
 * at a time, so this bounds the database's queue). PGlite is one connection: 200 phones
 * syncing at once would otherwise wait in one first-in first-out line past their timeouts. A
 * request over the bound is answered `503 SERVER_BUSY` with `Retry-After` at once, before any
 * work, so it never leaves work half done; one admitted always finishes.
 */
export const dbAdmission = fp<{ limit: number | null }>(
  async (app, { limit }) => {
    if (!limit) return;
    let inFlight = 0;
    // How long a request takes lately (ms): how long the line ahead of a refused one takes to clear.
    let averageMs = 50;
    app.addHook('onRequest', async (req, reply) => {
      // The poke socket lives for hours and queries once at its start: not counted.
      if (!req.url.startsWith('/api/') || req.headers.upgrade) return;
      if (inFlight >= limit) {
        const retryAfterSeconds = Math.min(30, Math.max(1, Math.ceil((inFlight * averageMs) / 1000)));
        throw new DomainError('SERVER_BUSY', undefined, { retryAfterSeconds });
      }
      inFlight++;
      const started = performance.now();
      // 'close' comes once the answer is sent or the caller went away, whatever happened in between.
      reply.raw.once('close', () => {
        inFlight--;
        averageMs = 0.8 * averageMs + 0.2 * (performance.now() - started);
      });
    });
  },
  { name: 'db-admission', dependencies: ['error-handler'] },
);
