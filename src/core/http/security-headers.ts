/**
 * Strict browser security: a Content-Security-Policy that allows only this site's own scripts,
 * styles and images (no inline script, no third-party anything), no framing, no referrer, and HSTS
 * when the site is served over HTTPS.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import type { Config } from '../config.ts';

/**
 * The headers a helmet middleware sets, worked out once. They depend only on the configuration, and
 * building them for every request (as @fastify/helmet does) cost about 8% of the server's time under load.
 */
function headersOf(middleware: ReturnType<typeof helmet>): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  let failure: unknown;
  middleware({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => void (failure = error));
  if (failure) throw failure instanceof Error ? failure : new Error('helmet refused the security header settings');
  return headers;
}

export function securityHeaders(config: Config): Record<string, string> {
  const headers = headersOf(helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // The operator's map tile server, when set (config.ts admits exactly one https origin).
        imgSrc: ["'self'", 'data:', ...(config.mapTileUrl ? [new URL(config.mapTileUrl.replace(/\{[zxy]\}/g, '0')).origin] : [])],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        // The no-JavaScript "leave no trace" form is sent on to the neutral site, and form-action governs redirects.
        formAction: ["'self'", new URL(config.quickExitUrl).origin],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        frameAncestors: ["'none'"],
        ...(config.publicUrl.startsWith('https:') ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: config.publicUrl.startsWith('https:') ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    // For browsers without CSP frame-ancestors: no framing at all, as frame-ancestors 'none' says.
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  }));
  return { ...headers, 'permissions-policy': 'camera=(), microphone=(), geolocation=(self), interest-cohort=()' };
}

export function registerSecurityHeaders(app: FastifyInstance, config: Config): void {
  const headers = securityHeaders(config);
  app.addHook('onRequest', async (_req, reply) => {
    void reply.headers(headers);
  });
}
