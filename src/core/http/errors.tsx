/**
 * Turns every failure into a response a person understands: JSON under /api/, a page elsewhere.
 * Client mistakes keep their 4xx status; anything else is logged with the request id and answered
 * with a plain 500 that reveals nothing. A database that cannot be reached is a 503 with Retry-After.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { translator } from '../i18n.ts';
import { messageKeyFor } from '../validation.ts';
import { HttpError } from './http-error.ts';
import { sendPage } from './render.tsx';

export function isApiRequest(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/');
}

// Connection refused, reset or broken, admin shutdown, cannot connect now, not accepting connections, too many clients.
const DATABASE_DOWN = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN', '57P01', '57P02', '57P03', '08006', '08001', '08003', '08004', '55000', '53300']);
const DATABASE_DOWN_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|not queryable|PGlite is closed|Cannot use a pool after calling end|driver has already been destroyed/i;

/** Also looks through `cause` and an AggregateError's errors: a lost connection often arrives wrapped. */
function isDatabaseOutage(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const { code, message, cause, errors } = error as { code?: string; message?: string; cause?: unknown; errors?: unknown[] };
  if ((code !== undefined && DATABASE_DOWN.has(code)) || DATABASE_DOWN_MESSAGE.test(String(message))) return true;
  return isDatabaseOutage(cause, depth + 1) || (Array.isArray(errors) && errors.some((inner) => isDatabaseOutage(inner, depth + 1)));
}

interface ErrorBody {
  status: number;
  code: string;
  messageKey: string;
  fields?: Record<string, string>;
  headers?: Record<string, string>;
}

function classify(error: FastifyError | HttpError | Error): ErrorBody {
  if (error instanceof HttpError) return { status: error.statusCode, code: error.code, messageKey: error.messageKey, headers: error.headers, ...(error.fields ? { fields: error.fields } : {}) };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const fields: Record<string, string> = {};
    for (const issue of fastifyError.validation) {
      const params = issue.params as { missingProperty?: string; additionalProperty?: string };
      const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const field = params.missingProperty ?? params.additionalProperty ?? (path || 'body');
      fields[field] ??= messageKeyFor(issue.keyword);
    }
    return { status: 422, code: 'invalid', messageKey: 'errors.invalidRequest', fields };
  }
  const status = fastifyError.statusCode;
  if (status === 413) return { status, code: 'too-large', messageKey: 'errors.tooLarge' };
  if (status === 415) return { status, code: 'unsupported-media-type', messageKey: 'errors.unsupportedMediaType' };
  if (status === 429) return { status, code: 'rate-limited', messageKey: 'errors.rateLimited' };
  if (status && status >= 400 && status < 500) return { status, code: 'bad-request', messageKey: 'errors.badRequest' };
  if (isDatabaseOutage(error)) return { status: 503, code: 'unavailable', messageKey: 'errors.unavailable', headers: { 'retry-after': '5' } };
  return { status: 500, code: 'internal', messageKey: 'errors.internal' };
}

export function sendError(req: FastifyRequest, reply: FastifyReply, body: ErrorBody): FastifyReply {
  // The request may have failed before its language was known.
  const t = req.t ?? translator('en');
  for (const [name, value] of Object.entries(body.headers ?? {})) void reply.header(name, value);
  if (isApiRequest(req) || !req.actor) {
    const fields = body.fields ? Object.fromEntries(Object.entries(body.fields).map(([k, v]) => [k, t(v)])) : undefined;
    return reply.status(body.status).send({ error: { code: body.code, message: t(body.messageKey), ...(fields ? { fields } : {}) } });
  }
  return sendPage(req, reply, {
    status: body.status,
    title: t('errors.pageTitle'),
    body: (view) => (
      <section class="error-page">
        <h1>{view.t('errors.pageTitle')}</h1>
        <p>{view.t(body.messageKey)}</p>
        <p>
          <a href="/">{view.t('nav.home')}</a>
        </p>
      </section>
    ),
  });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const body = classify(error);
    if (body.status >= 500) req.log.error({ err: { type: error.name, message: error.message, code: (error as { code?: string }).code, stack: error.stack } }, 'request failed');
    return sendError(req, reply, body);
  });
  app.setNotFoundHandler((req, reply) => sendError(req, reply, { status: 404, code: 'not-found', messageKey: 'errors.notFound' }));
}
