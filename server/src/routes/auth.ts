import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { rolesOf } from '@shared/domain/scope.ts';
import { DomainError } from '@shared/errors.ts';
import { LoginBody, LoginReply, MeReply } from '@shared/schemas/account.ts';
import { ChangePassword, OkReply } from '@shared/schemas/admin-people.ts';
import { errorReplies } from '@shared/schemas/common.ts';
import { changeOwnPassword } from '../services/account-service.ts';
import { requireAuth } from '../plugins/auth.ts';
import { login, logout } from '../services/auth-service.ts';
import * as users from '../repositories/user-repository.ts';
import * as members from '../repositories/member-repository.ts';

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: app.config.loginRateLimit.max, timeWindow: app.config.loginRateLimit.windowMs } },
      schema: { body: LoginBody, response: { 200: LoginReply, ...errorReplies(400, 401, 429) } },
    },
    async (req) => login(app.db, req.body, req.ip, app.config, app.now()),
  );

  app.post(
    '/api/auth/logout',
    { onRequest: requireAuth, schema: { response: { 200: Type.Object({ ok: Type.Boolean() }), ...errorReplies(401) } } },
    async (req) => {
      await logout(app.db, req.auth.tokenHash, app.now());
      return { ok: true };
    },
  );

  // Every user, including one whose password an admin reset (the one thing such a session must do).
  app.post(
    '/api/auth/password',
    {
      config: { rateLimit: { max: app.config.loginRateLimit.max, timeWindow: app.config.loginRateLimit.windowMs } },
      onRequest: requireAuth,
      schema: { body: ChangePassword, response: { 200: OkReply, ...errorReplies(400, 401, 422, 429) } },
    },
    async (req) => {
      await changeOwnPassword(app.db, req.auth.caller.userId, req.body);
      return { ok: true as const };
    },
  );

  app.get('/api/me', { onRequest: requireAuth, schema: { response: { 200: MeReply, ...errorReplies(401) } } }, async (req) => {
    const { caller } = req.auth;
    const user = await users.findUser(app.db, caller.userId);
    if (!user) throw new DomainError('UNAUTHENTICATED');
    const member = caller.memberId ? await members.findMemberWithUnit(app.db, caller.memberId) : undefined;
    return {
      id: user.id,
      name: user.name,
      phone: user.phone,
      roles: rolesOf(caller),
      mustChangePassword: user.must_change_password,
      member: member
        ? { id: member.id, centralHousehold: member.central_household, unit: { id: member.unitId, kind: member.kind as never, name: member.name } }
        : null,
      units: await users.listGrantUnits(app.db, caller.userId),
    };
  });
};
