import type { FastifyServerOptions } from 'fastify';

/** Query parameters that carry a credential: the poke socket's `?token=` (a browser cannot set headers on a WebSocket). */
const SECRET_PARAMS = /([?&](?:token|access_token)=)[^&#]*/gi;

/** A URL as the log may keep it: credentials in its query string replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

export interface LogOptions {
  level?: string;
  /** Where the JSON lines go (stdout by default); tests capture them. */
  stream?: NodeJS.WritableStream;
}

/**
 * Fastify's logger, with a request serializer that logs what Fastify's default does (method,
 * URL, host, address) but never a session token from the URL. Headers are not logged at all,
 * so `Authorization` never is.
 */
export function loggerOptions(options: boolean | LogOptions | undefined): FastifyServerOptions['logger'] {
  if (!options) return false;
  const { level = 'info', stream } = options === true ? {} : options;
  return {
    level,
    ...(stream ? { stream } : {}),
    serializers: {
      req: (req) => ({ method: req.method, url: redactUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
    },
  };
}
