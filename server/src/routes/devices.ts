import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ClientIdParams, errorReplies } from '@shared/schemas/common.ts';
import { HeldDecision, HeldReport } from '@shared/schemas/reports.ts';
import { requireSupervisor } from '../plugins/auth.ts';
import * as devices from '../services/device-service.ts';
import { heldReport } from '../services/report-service.ts';

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

  app.get('/api/reports/held', { onRequest: requireSupervisor, schema: { response: { 200: HeldReport, ...errorReplies(401, 403) } } }, async (req) => heldReport(app.db, req.auth.scope));

  app.post(
    '/api/reports/held/:id',
    {
      onRequest: requireSupervisor,
      schema: {
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }),
        body: Type.Object({ decision: Type.Union([Type.Literal('accept'), Type.Literal('refuse')]) }, { additionalProperties: false }),
        response: { 200: HeldDecision, ...errorReplies(400, 401, 403, 404, 409) },
      },
    },
    async (req) => devices.decideHeld(app.db, req.auth.scope, req.params.id, req.body.decision, app.now()),
  );
};
