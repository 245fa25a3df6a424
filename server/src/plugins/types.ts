import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DbKind } from '../db/open.ts';
import type { AppConfig } from '../config.ts';
import type { Authenticated } from '../services/auth-service.ts';
import type { PokeHub } from '../sync/poke-hub.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
    dbKind: DbKind;
    config: AppConfig;
    /** The server's clock; tests replace it to move time. */
    now(): Date;
    /** Devices with a poke socket open on this instance. */
    pokes: PokeHub;
  }
  interface FastifyRequest {
    /** Set by the auth plugin on every protected route. */
    auth: Authenticated;
    lang: 'zh' | 'en';
  }
}
