import zlib from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DEFAULT_CONFIG, type AppConfig } from './config.ts';
import type { OpenedDb } from './db/open.ts';
import { errorHandler } from './plugins/error-handler.ts';
import { routeInputGuard } from './plugins/route-input-guard.ts';
import { rateLimits } from './plugins/rate-limits.ts';
import { securityHeaders } from './plugins/security-headers.ts';
import { dbAdmission } from './plugins/db-admission.ts';
import { authPlugin } from './plugins/auth.ts';
import { staticClient } from './plugins/static-client.ts';
import { healthRoutes } from './routes/health.ts';
import { authRoutes } from './routes/auth.ts';
import { unitRoutes } from './routes/units.ts';
import { memberRoutes } from './routes/members.ts';
import { householdRoutes } from './routes/households.ts';
import { adminHouseholdRoutes } from './routes/admin-households.ts';
import { adminAssignmentRoutes } from './routes/admin-assignments.ts';
import { adminAuditRoutes } from './routes/admin-audit.ts';
import { syncRoutes } from './routes/sync.ts';
import { reportRoutes } from './routes/reports.ts';
import { deviceRoutes } from './routes/devices.ts';
import { adminPeopleRoutes } from './routes/admin-people.ts';
import { rosterRoutes } from './routes/roster.ts';
import { PokeHub } from './sync/poke-hub.ts';
import websocket from '@fastify/websocket';
import compress from '@fastify/compress';
import { startRetentionTimer } from './retention/retention-timer.ts';
import { loggerOptions, type LogOptions } from './request-log.ts';
import './plugins/types.ts';

export interface AppOptions {
  db: OpenedDb;
  config?: Partial<AppConfig>;
  logger?: boolean | LogOptions;
  now?: () => Date;
}

/** Builds the server: plugins first, then routes. The caller owns the database and closes it. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const config: AppConfig = { ...DEFAULT_CONFIG, ...options.config };
  const app = Fastify({
    logger: loggerOptions(options.logger),
    bodyLimit: 5 * 1024 * 1024,
    trustProxy: config.trustProxy,
    ajv: {
      // Ajv's default skips minimum/maximum for a query string coerced to ±Infinity ("Infinity",
      // "1e999"; ajv-validator/ajv#2212). Without strictNumbers the bounds run on every number,
      // and route-input-guard makes every number carry both bounds, so no infinity passes.
      customOptions: { strictNumbers: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('db', options.db.db);
  app.decorate('dbKind', options.db.kind);
  app.decorate('config', config);
  app.decorate('now', options.now ?? (() => new Date()));

  await app.register(routeInputGuard);
  await app.register(errorHandler);
  await app.register(securityHeaders);
  // JSON answers of 1 KB and more go out gzip or brotli when asked (a member's first pull shrinks
  // about tenfold); brotli at a middling quality, since its default (11) costs far more CPU than
  // it saves bytes on a page of rows. The poke socket's frames are not touched.
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'], brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } } });
  await app.register(authPlugin);
  await app.register(rateLimits);
  await app.register(dbAdmission, { limit: config.dbQueueLimit });
  await app.register(staticClient, { dir: config.clientDir });

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(unitRoutes);
  await app.register(memberRoutes);
  await app.register(householdRoutes);
  await app.register(adminPeopleRoutes);
  await app.register(adminHouseholdRoutes);
  await app.register(adminAssignmentRoutes);
  await app.register(adminAuditRoutes);

  const pokes = new PokeHub(options.db, app.log);
  await pokes.start();
  app.decorate('pokes', pokes);
  app.addHook('onClose', async () => pokes.close());
  await app.register(websocket);
  await app.register(syncRoutes);
  await app.register(reportRoutes);
  await app.register(deviceRoutes);
  await app.register(rosterRoutes);
  startRetentionTimer(app);
  return app;
}
