/** Renders a server-side page inside the shared layout. Preact escapes every value it outputs. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { Layout } from '../views/layout.tsx';
import type { ViewContext } from '../views/view-context.ts';

export function viewContext(req: FastifyRequest): ViewContext {
  return { t: req.t, lang: req.lang, actor: req.actor, csrfToken: req.csrfToken(), path: req.url.split('#')[0] ?? '/' };
}

export function sendPage(
  req: FastifyRequest,
  reply: FastifyReply,
  page: { title: string; status?: number; body: (view: ViewContext) => VNode },
): FastifyReply {
  const view = viewContext(req);
  const html = renderToString(
    <Layout view={view} title={page.title}>
      {page.body(view)}
    </Layout>,
  );
  return reply
    .status(page.status ?? 200)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>${html}`);
}

/** Post-redirect-get: 303 so the browser follows with GET. */
export function redirect(reply: FastifyReply, location: string): FastifyReply {
  return reply.status(303).header('location', location).send();
}

/**
 * Accepts only a path on this site, so a link cannot send someone elsewhere after sign-in. Browsers
 * drop tabs and newlines from a location and read a backslash as a slash ("/\t/evil.example" is
 * "//evil.example"), so neither may appear anywhere. Only printable ASCII (a path as browsers send
 * it, percent-encoded), which is also all a Location header may carry.
 */
export function safeNext(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !/^\/(?!\/)[!-[\]-~]*$/.test(value)) return fallback;
  return value;
}
