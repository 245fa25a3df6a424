import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Serves the built PWA from the same port as the API. Hashed assets are cached for a year;
 * the service worker and the page itself are revalidated, so a new version is found at once.
 * Unknown non-API paths answer the app shell: the client router owns them.
 */
export const staticClient = fp<{ dir: string | null }>(
  async (app, { dir }) => {
    const hasClient = !!dir && existsSync(join(dir, 'index.html'));
    if (hasClient) {
      await app.register(fastifyStatic, {
        root: dir!,
        wildcard: false,
        setHeaders(res, path) {
          if (/[/\\]assets[/\\]/.test(path)) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
          else res.setHeader('cache-control', 'no-cache');
        },
      });
    }
    app.setNotFoundHandler((req, reply) => {
      if (req.url.startsWith('/api/') || req.method !== 'GET' || !hasClient) {
        return reply.status(404).send({ code: 'NOT_FOUND', message: req.lang === 'en' ? 'Not found' : '找不到该地址' });
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  },
  { name: 'static-client', dependencies: ['error-handler'] },
);
