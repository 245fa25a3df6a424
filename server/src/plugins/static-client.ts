import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { existsSync, readdirSync } from 'node:fs';
import { DomainError } from '@shared/errors.ts';
import { incompleteBuild } from './client-build.ts';

/** Paths that name a file (an extension, or under a folder of files): never answered with the page. */
const FILE_PATH = /^\/(?:assets|icons)\/|\.[A-Za-z0-9]+$/;

/**
 * Serves the built PWA from the same port as the API. Files are looked up on every request
 * (no list made at start), so a client rebuilt while the server runs is served at once. Hashed
 * assets are cached for a year; the service worker and the page are revalidated.
 *
 * A path with no file is a 404 — never the page: a service worker that cached HTML as
 * JavaScript would keep the app blank until the next release. Only paths the client router
 * owns (no extension) get the page, and only while the build is whole; a build found half
 * written at start stops the server.
 */
export const staticClient = fp<{ dir: string | null }>(
  async (app, { dir }) => {
    const hasClient = !!dir && existsSync(dir);
    if (hasClient) {
      const why = readdirSync(dir).length === 0 ? `${dir} is empty` : incompleteBuild(dir);
      if (why) throw new Error(`The built client is incomplete (${why}); run \`npm run build\` and start again.`);
      await app.register(fastifyStatic, {
        root: dir,
        wildcard: true,
        // Our own cache-control below, not send's `public, max-age=0`.
        cacheControl: false,
        setHeaders(res, path) {
          if (/[/\\]assets[/\\]/.test(path)) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
          else res.setHeader('cache-control', 'no-cache');
        },
      });
    }
    app.setNotFoundHandler((req, reply) => {
      const path = req.url.split('?')[0]!;
      const page = hasClient && (req.method === 'GET' || req.method === 'HEAD') && !path.startsWith('/api/') && !FILE_PATH.test(path);
      if (!page) return reply.status(404).send({ code: 'NOT_FOUND', message: req.lang === 'en' ? 'Not found' : '找不到该地址' });
      // A rebuild is being written: come back in a moment rather than load a page whose scripts are missing.
      if (incompleteBuild(dir!)) throw new DomainError('SERVER_BUSY', undefined, { retryAfterSeconds: 5 });
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  },
  { name: 'static-client', dependencies: ['error-handler'] },
);
