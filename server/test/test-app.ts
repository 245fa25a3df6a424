import type { FastifyInstance } from 'fastify';
import type { LogConfig } from 'kysely';
import { buildApp } from '../src/app.ts';
import type { AppConfig } from '../src/config.ts';
import type { DbKind } from '../src/db/open.ts';
import type { GeneratedOrg, GenUnit } from '../src/demo/generate-org.ts';
import { DEMO_PASSWORD } from '../src/demo/load-org.ts';
import { createTestDb, demoOrg, type TestDb } from './test-db.ts';

/** A server on a fresh database holding the demo organisation, with a movable clock. */
export interface TestApp {
  app: FastifyInstance;
  testDb: TestDb;
  org: GeneratedOrg;
  clock: { now: Date };
  /** Logs in and returns the bearer header for that phone. */
  as(phone: string): Promise<{ authorization: string }>;
  unitNamed(name: string): GenUnit;
  close(): Promise<void>;
}

export async function createTestApp(kind: DbKind, config: Partial<AppConfig> = {}, log?: LogConfig): Promise<TestApp> {
  // A copy of the run's demo template: loading the organisation again per file is what took the time.
  const testDb = await createTestDb(kind, 'demo', log);
  const org = demoOrg();
  const clock = { now: new Date() };
  const app = await buildApp({ db: testDb.opened, config, now: () => clock.now });
  const tokens = new Map<string, string>();
  return {
    app,
    testDb,
    org,
    clock,
    async as(phone) {
      let token = tokens.get(phone);
      if (!token) {
        const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password: DEMO_PASSWORD } });
        if (res.statusCode !== 200) throw new Error(`login ${phone} failed: ${res.statusCode} ${res.body}`);
        token = res.json().token as string;
        tokens.set(phone, token);
      }
      return { authorization: `Bearer ${token}` };
    },
    unitNamed(name) {
      const u = org.units.find((x) => x.name === name);
      if (!u) throw new Error(`no unit named ${name}`);
      return u;
    },
    async close() {
      await app.close();
      await testDb.drop();
    },
  };
}

/** The phone of the user holding `role` on the unit, from the generated organisation. */
export function staffPhone(org: GeneratedOrg, unitId: string, role: 'supervisor' | 'admin' = 'supervisor'): string {
  const grant = org.grants.find((g) => g.unitId === unitId && g.role === role);
  if (!grant) throw new Error(`no ${role} on ${unitId}`);
  return org.users.find((u) => u.id === grant.userId)!.phone;
}

/** The phone of a member of a branch (the n-th). */
export function memberPhone(org: GeneratedOrg, unitId: string, n = 0): { phone: string; memberId: string } {
  const member = org.members.filter((m) => m.unitId === unitId)[n];
  if (!member) throw new Error(`no member ${n} in ${unitId}`);
  return { phone: org.users.find((u) => u.id === member.userId)!.phone, memberId: member.id };
}
