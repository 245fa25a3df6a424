import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportsApi } from './lianxin-api.ts';

afterEach(() => vi.unstubAllGlobals());

/** Stubs fetch and returns the URLs and methods the calls asked for. */
function recordCalls() {
  const calls: { url: string; method: string; body?: unknown }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    calls.push({ url, method: init.method ?? 'GET', body: init.body ? JSON.parse(String(init.body)) : undefined });
    return new Response(JSON.stringify({}), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

describe('the reports API', () => {
  it('builds each report’s URL, encoding a device id the phone made up', async () => {
    const calls = recordCalls();
    await reportsApi.sync(30);
    await reportsApi.coverage(90);
    await reportsApi.deviceLog('test/a b?');
    await reportsApi.decideHeld(7, 'refuse');
    await reportsApi.revokeDevice('x/y', 'lost');
    expect(calls).toEqual([
      { url: '/api/reports/sync?days=30', method: 'GET' },
      { url: '/api/reports/coverage?days=90', method: 'GET' },
      { url: '/api/reports/sync/devices/test%2Fa%20b%3F', method: 'GET' },
      { url: '/api/reports/held/7', method: 'POST', body: { decision: 'refuse' } },
      { url: '/api/devices/x%2Fy/revoke', method: 'POST', body: { kind: 'lost' } },
    ]);
  });

  it('saves exports under their Chinese ledger names; only coverage carries the period', async () => {
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url);
      return new Response('x', { status: 200 });
    });
    const saved: string[] = [];
    vi.stubGlobal('URL', { createObjectURL: () => 'blob:x', revokeObjectURL: () => {} });
    vi.stubGlobal('document', { createElement: () => ({ click() { saved.push((this as unknown as { download: string }).download); } }) });
    await reportsApi.exportFile('coverage', 'xlsx', 60);
    await reportsApi.exportFile('disputes', 'csv', 60);
    expect(fetched).toEqual(['/api/reports/coverage.xlsx?days=60', '/api/reports/disputes.csv']);
    expect(saved).toEqual(['60天未走访住户.xlsx', '矛盾纠纷排查化解台账.csv']);
  });
});
