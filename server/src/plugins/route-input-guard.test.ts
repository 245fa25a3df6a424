import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { Type } from 'typebox';
import { Line, Text, Uuid, IsoDateTime } from '@shared/schemas/common.ts';
import { looseInputs, routeInputGuard } from './route-input-guard.ts';

describe('route input guard', () => {
  it('passes the shared schemas and bounded numbers', () => {
    const ok = Type.Object({ a: Line(20), b: Text(100), c: Uuid, d: IsoDateTime, e: Type.Integer({ minimum: 0, maximum: 10 }), f: Type.Array(Uuid, { maxItems: 3 }), g: Type.Union([Type.Literal('x'), Type.Null()]) });
    expect(looseInputs(ok, 'body')).toEqual([]);
  });

  it('names every loose string, unbounded number and unbounded array', () => {
    const loose = Type.Object({ s: Type.String({ maxLength: 10 }), n: Type.Integer({ minimum: 1 }), list: Type.Array(Line(5)), deep: Type.Object({ t: Type.String() }) });
    expect(looseInputs(loose, 'body').map((m) => m.split(':')[0])).toEqual(['body.s', 'body.n', 'body.list', 'body.deep.t']);
  });

  it('stops the server from starting with a loose route or a :param without a schema', async () => {
    const app = Fastify();
    await app.register(routeInputGuard);
    app.post('/api/x/:id', { schema: { body: Type.Object({ note: Type.String() }) } }, async () => ({}));
    await expect(app.ready()).rejects.toThrow(/POST \/api\/x\/:id: params has no schema[\s\S]*body\.note/);
  });
});
