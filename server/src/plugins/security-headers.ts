import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';

/**
 * Security headers on every response, API and app alike (@fastify/helmet): a Content-Security-
 * Policy that fits the built PWA, nosniff, no framing, no referrer.
 */
export const securityHeaders = fp(
  async (app) => {
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          baseUri: ["'self'"],
          // Vite emits module scripts only; nothing inline, nothing evaluated.
          scriptSrc: ["'self'"],
          scriptSrcAttr: ["'none'"],
          // Vant and Vue set style attributes at run time.
          styleSrc: ["'self'", "'unsafe-inline'"],
          // Vant's icon font is inlined as a data: URL in its CSS.
          fontSrc: ["'self'", 'data:'],
          imgSrc: ["'self'", 'data:', 'blob:'],
          // The poke socket; older WebKit does not count a same-host ws: as 'self'.
          connectSrc: ["'self'", 'ws:', 'wss:'],
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
          objectSrc: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          // Not upgrade-insecure-requests: a town office may serve the app over plain HTTP on its LAN.
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
    });
  },
  { name: 'security-headers' },
);
