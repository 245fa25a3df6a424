import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { DomainError } from '@shared/errors.ts';

/**
 * Per-source-address request limits for the routes that ask for one (`config.rateLimit`), the
 * login today. Over the limit the answer is the shared error body (`TOO_MANY_REQUESTS` with
 * `retryAfterSeconds`, and `Retry-After`), so the app can say in Chinese how long to wait.
 * Counters live in this process: with several instances each counts its own share.
 */
export const rateLimits = fp(
  async (app) => {
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_req, context) => new DomainError('TOO_MANY_REQUESTS', undefined, { retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)) }),
    });
  },
  { name: 'rate-limits', dependencies: ['error-handler'] },
);
