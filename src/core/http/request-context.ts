/**
 * Works out, once per request, who is asking (session cookie or API token), in which language to
 * answer, and guards every state-changing request with a CSRF token. Sessions and tokens live in the
 * database, so any process can serve any request.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ANONYMOUS, type Actor } from '../auth/actor.ts';
import { actorFromApiToken, actorFromSession } from '../auth/identify.ts';
import type { Config } from '../config.ts';
import { hmac, randomToken, safeEqual } from '../crypto.ts';
import type { Database } from '../db/database.ts';
import { isLanguage, languageFromHeader, translator, type Language, type Translate } from '../i18n.ts';
import type { Keys } from '../keys.ts';
import { HttpError } from './http-error.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    lang: Language;
    t: Translate;
    sessionToken: string | undefined;
    csrfToken(): string;
  }
  interface FastifyContextConfig {
    /** false for routes that must not read sessions (health checks, static files, the baseline). */
    identify?: boolean;
    /**
     * false only for endpoints authenticated otherwise (e.g. signed webhooks). 'anonymous-ok' for API
     * operations anyone may call without an account (e.g. submitting a report): a caller with no
     * session has nothing another site could ride, so only callers with a session need the token.
     */
    csrf?: boolean | 'anonymous-ok';
  }
}

export const SESSION_COOKIE = 'cast_session';
export const CSRF_COOKIE = 'cast_csrf';
export const LANGUAGE_COOKIE = 'cast_lang';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function cookieOptions(config: Config, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    secure: config.cookieSecure,
    sameSite: 'lax' as const,
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  };
}

export function registerRequestContext(app: FastifyInstance, deps: { config: Config; database: Database; keys: Keys }): void {
  const { config, database, keys } = deps;
  const db = database.db;

  app.decorateRequest('actor', null as never);
  app.decorateRequest('lang', 'en');
  app.decorateRequest('t', null as never);
  app.decorateRequest('sessionToken', undefined);
  app.decorateRequest('csrfToken', function (this: FastifyRequest) {
    return '';
  });

  async function identify(req: FastifyRequest): Promise<Actor> {
    // Tokens are for programs using the JSON API; pages only know browser sessions.
    const authorization = req.url.startsWith('/api/') ? req.headers.authorization : undefined;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const actor = match ? await actorFromApiToken(db, match[1]!) : undefined;
      if (!actor) throw new HttpError(401, 'invalid-token', 'errors.invalidToken', { 'www-authenticate': 'Bearer' });
      return actor;
    }
    const sessionToken = req.cookies[SESSION_COOKIE];
    if (!sessionToken) return ANONYMOUS;
    const actor = await actorFromSession(db, sessionToken);
    if (!actor) return ANONYMOUS;
    req.sessionToken = sessionToken;
    return actor;
  }

  function expectedCsrf(req: FastifyRequest, cookieValue: string): string {
    return hmac(keys.csrf, `${cookieValue}|${req.sessionToken ?? ''}`).toString('base64url');
  }

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    // Set first, so the id reaches the client even when identification fails.
    void reply.header('x-request-id', req.id);
    req.actor = req.routeOptions.config.identify === false ? ANONYMOUS : await identify(req);
    const chosen = req.cookies[LANGUAGE_COOKIE];
    req.lang =
      req.actor.kind === 'user' ? req.actor.language : isLanguage(chosen) ? chosen : languageFromHeader(req.headers['accept-language']) ?? 'en';
    req.t = translator(req.lang);
    let csrfCookie = req.cookies[CSRF_COOKIE];
    req.csrfToken = () => {
      if (!csrfCookie) {
        csrfCookie = randomToken();
        void reply.setCookie(CSRF_COOKIE, csrfCookie, cookieOptions(config));
      }
      return expectedCsrf(req, csrfCookie);
    };
  });

  // Before schema validation: a request another site forged is refused as such, whatever its
  // parameters and body, and learns nothing from validation messages.
  app.addHook('preValidation', async (req: FastifyRequest) => {
    if (!UNSAFE_METHODS.has(req.method) || req.routeOptions.config.csrf === false) return;
    if (req.routeOptions.config.csrf === 'anonymous-ok' && req.actor.kind === 'anonymous' && !req.sessionToken) return;
    // A bearer token is not sent by browsers on their own, so it cannot be ridden by another site.
    if (req.actor.kind === 'user' && req.actor.via === 'token') return;
    const cookieValue = req.cookies[CSRF_COOKIE];
    const body = req.body as Record<string, unknown> | undefined;
    const sent = (body && typeof body === 'object' ? body._csrf : undefined) ?? req.headers['x-csrf-token'];
    if (!cookieValue || typeof sent !== 'string' || !safeEqual(sent, expectedCsrf(req, cookieValue))) {
      throw new HttpError(403, 'csrf', 'errors.csrf');
    }
  });
}
