import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ClientIdParams } from '@shared/schemas/common.ts';
import { requireSupervisor } from '../plugins/auth.ts';
import * as devices from '../services/device-service.ts';

/** Revoking devices and deciding on the work a retired one handed over; supervisors of its member's unit. */
export const deviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/devices/:clientId/revoke',
    {
      onRequest: requireSupervisor,
      schema: { params: ClientIdParams, body: Type.Object({ kind: Type.Union([Type.Literal('retire'), Type.Literal('lost')]) }, { additionalProperties: false }) },
    },
    async (req) => {
      await devices.revokeDevice(app.db, req.auth.scope, req.params.clientId, req.body.kind, app.now());
      return { ok: true };
    },
  );

  app.get('/api/reports/held', { onRequest: requireSupervisor }, async (req) => ({ held: await devices.listHeld(app.db, req.auth.scope) }));

  app.post(
    '/api/reports/held/:id',
    {
      onRequest: requireSupervisor,
      schema: { params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }), body: Type.Object({ decision: Type.Union([Type.Literal('accept'), Type.Literal('refuse')]) }, { additionalProperties: false }) },
    },
    async (req) => devices.decideHeld(app.db, req.auth.scope, req.params.id, req.body.decision, app.now()),
  );
};
