import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthReply } from '@shared/schemas/account.ts';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/health', { schema: { response: { 200: HealthReply } } }, async () => {
    return { status: 'ok' as const, db: app.dbKind, version: app.config.version };
  });
};
