import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-sync.ts';
import * as m0003 from './0003-held.ts';
import * as m0004 from './0004-registry.ts';
import * as m0005 from './0005-login-address.ts';
import * as m0006 from './0006-retention.ts';
import * as m0007 from './0007-audit.ts';
import * as m0008 from './0008-device-agent.ts';
import * as m0009 from './0009-household-archive.ts';

/** Every migration, in order. Names never change once landed. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-sync': m0002,
  '0003-held': m0003,
  '0004-registry': m0004,
  '0005-login-address': m0005,
  '0006-retention': m0006,
  '0007-audit': m0007,
  '0008-device-agent': m0008,
  '0009-household-archive': m0009,
};
