import { it } from 'vitest';
import { createTestApp } from './test-app.ts';
it('probe', async () => {
  const t = await createTestApp('pglite');
  const p = async (o: any) => { const r = await t.app.inject(o); console.log(o.url, JSON.stringify(o.payload ?? ''), r.statusCode, r.body.slice(0, 200)); };
  await p({ method: 'POST', url: '/api/auth/login', payload: { phone: '1380000\u00000001', password: 'demo1234' } });
  await p({ method: 'POST', url: '/api/auth/login', payload: { phone: '13800000001', password: 'demo\u00001234' } });
  await p({ method: 'POST', url: '/api/auth/login', payload: { phone: '13800000001', password: 'demo1234', clientId: 'abc\u0000def' } });
  const h = await t.as('13800000002');
  for (const d of ['Infinity', '-1', 'abc', '1e9', '1.5', '']) await p({ url: '/api/reports/sync?days=' + d, headers: h });
  await p({ url: '/api/reports/sync/devices/abc%00def', headers: h });
  await p({ url: '/api/reports/sync.csv?days=Infinity', headers: h });
  await t.close();
});
