import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ERROR_CODES, errorText, type ErrorCode } from '@shared/errors.ts';
import { REQUEST_FIELDS } from '@shared/schemas/request-fields.ts';
import { validationText } from '@shared/sync/validation-text.ts';

/** zh-CN unless the client asks for English first. */
function langOf(req: FastifyRequest): 'zh' | 'en' {
  const header = req.headers['accept-language'] ?? '';
  return /^en\b/i.test(header.trim()) ? 'en' : 'zh';
}

function send(reply: FastifyReply, code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
  return reply.status(ERROR_CODES[code].status).send({ code, message, ...extra });
}

/**
 * The one place errors become HTTP: domain errors by their code, validation errors as 400,
 * anything else as a 500 whose details stay in the log, never in the reply.
 */
export const errorHandler = fp(
  async (app) => {
    app.decorateRequest('lang', 'zh');
    app.addHook('onRequest', async (req) => {
      req.lang = langOf(req);
    });
    app.setErrorHandler((err: FastifyError | DomainError, req, reply) => {
      const lang = req.lang;
      if (err instanceof DomainError) {
        // A lockout, a rate limit, a busy server: say when to come back, to people and to clients.
        if (err.details?.retryAfterSeconds) reply.header('retry-after', String(err.details.retryAfterSeconds));
        const message = lang === 'en' ? errorText(err.code, 'en', err.details) : err.message;
        return send(reply, err.code, message, err.details ?? {});
      }
      const fe = err as FastifyError;
      if (fe.validation) {
        // Said as a person reads it (the field by its name, what is wrong): no JSON pointers or patterns.
        const detail = [...new Set(fe.validation.map((v) => validationText(v, REQUEST_FIELDS, lang)))].join(lang === 'zh' ? '；' : '; ');
        return send(reply, 'VALIDATION_FAILED', detail);
      }
      if (fe.statusCode && fe.statusCode < 500) {
        // Malformed JSON, a body too large, a wrong content type: the client's fault, said plainly.
        return reply.status(fe.statusCode).send({ code: 'VALIDATION_FAILED', message: `${ERROR_CODES.VALIDATION_FAILED[lang]}: ${fe.message}` });
      }
      req.log.error({ err }, 'unhandled error');
      return send(reply, 'INTERNAL', ERROR_CODES.INTERNAL[lang]);
    });
  },
  { name: 'error-handler' },
);
