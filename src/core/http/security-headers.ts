/**
 * Strict browser security: a Content-Security-Policy that allows only this site's own scripts,
 * styles and images (no inline script, no third-party anything), no framing, no referrer, and HSTS
 * when the site is served over HTTPS.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';

export async function registerSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
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
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (_req, reply) => {
    void reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(self), interest-cohort=()');
  });
}
