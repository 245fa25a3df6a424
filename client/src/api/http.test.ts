import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, configureHttp, http } from './http.ts';

function answer(status: number, body: unknown): Response {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

afterEach(() => {
  vi.unstubAllGlobals();
  configureHttp({ token: () => null, lang: () => 'zh', onSessionRejected: () => {} });
});

describe('http', () => {
  it('sends the bearer token and the language, and returns the body', async () => {
    const fetchMock = vi.fn(async () => answer(200, { ok: 1 }));
    vi.stubGlobal('fetch', fetchMock);
    configureHttp({ token: () => 'tok', lang: () => 'en' });
    await expect(http.get('/api/me')).resolves.toEqual({ ok: 1 });
    const init = (fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect((init.headers as Record<string, string>)['accept-language']).toBe('en');
  });

  it('turns a coded error body into an ApiError with the message in the user language', async () => {
    vi.stubGlobal('fetch', async () => answer(422, { code: 'MEMBER_AT_CAPACITY', message: 'x' }));
    const err = await http.post('/api/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(422);
    expect((err as ApiError).code).toBe('MEMBER_AT_CAPACITY');
    expect((err as ApiError).message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('gives a readable error for a non-JSON gateway page', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>bad gateway</html>', { status: 502 }));
    const err = (await http.get('/api/x').catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('INTERNAL');
  });

  it('reports no network as status 0 in Chinese', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const err = (await http.get('/api/x').catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(0);
    expect(err.code).toBe('NETWORK');
    expect(err.message).toBe('网络不可用，请检查网络后重试');
  });

  it('tells the session store when a sent token is refused', async () => {
    vi.stubGlobal('fetch', async () => answer(401, { code: 'SESSION_EXPIRED', message: 'x' }));
    const rejected = vi.fn();
    configureHttp({ token: () => 'old', onSessionRejected: rejected });
    await http.get('/api/me').catch(() => {});
    expect(rejected).toHaveBeenCalledWith('SESSION_EXPIRED');
  });
});
