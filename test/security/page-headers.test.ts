/**
 * Every page of the live route table, as a visitor, a member and an administrator would get it:
 * a strict Content-Security-Policy (no inline script), no inline script bodies, event-handler
 * attributes or style attributes in the HTML (the policy would block them), no framing, nosniff and
 * no referrer. (HSTS over https: cookies-and-sessions.test.ts.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createAccount, signIn } from '../support/accounts.ts';
import { Client, type Response } from '../support/client.ts';
import { ROOT } from '../support/database.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { label, routesOf, samplePath } from './route-table.ts';

/** What the policy must say, directive by directive. */
function cspProblems(csp: string): string[] {
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));
  const problems: string[] = [];
  const script = directives.get('script-src') ?? directives.get('default-src') ?? [];
  if (!script.length || script.some((v) => v !== "'self'")) problems.push(`script-src is ${script.join(' ') || 'missing'}`);
  if (!csp.includes("default-src 'self'")) problems.push('default-src is not self');
  if (/unsafe-inline|unsafe-eval|unsafe-hashes|\*/.test(csp)) problems.push('an unsafe source');
  if (directives.get('frame-ancestors')?.join(' ') !== "'none'") problems.push("frame-ancestors is not 'none'");
  if (directives.get('object-src')?.join(' ') !== "'none'") problems.push("object-src is not 'none'");
  if (directives.get('base-uri')?.join(' ') !== "'none'") problems.push("base-uri is not 'none'");
  return problems;
}

/** Inline script, handler attributes and style attributes: none may appear in a page. */
export function inlineProblems(html: string): string[] {
  const problems: string[] = [];
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    if (!/\ssrc=/.test(tag) && !/type="application\/(ld\+)?json"/.test(tag)) problems.push(`inline script ${tag}`);
  }
  for (const match of html.matchAll(/<[a-z][^>]*?\s(on[a-z]+|style)\s*=/gi)) problems.push(`${match[1]} attribute in ${match[0].slice(0, 60)}`);
  if (/href\s*=\s*"\s*javascript:/i.test(html)) problems.push('a javascript: link');
  return problems;
}

function headerProblems(response: Response): string[] {
  const problems = cspProblems(response.headers.get('content-security-policy') ?? '');
  if (response.headers.get('x-frame-options') !== 'DENY') problems.push(`X-Frame-Options is ${response.headers.get('x-frame-options')}`);
  if (response.headers.get('x-content-type-options') !== 'nosniff') problems.push('no nosniff');
  if (response.headers.get('referrer-policy') !== 'no-referrer') problems.push('referrer policy');
  return problems;
}

describe('security headers and inline content on every page', () => {
  let server: TestServer;
  const clients: Record<string, Client> = {};

  before(async () => {
    server = await startTestServer({ env: { CAST_RUN_JOBS: 'false' } });
    clients.anonymous = new Client(server.url);
    for (const role of ['member', 'admin'] as const) {
      clients[role] = new Client(server.url);
      await signIn(clients[role], (await createAccount(server.cast.database, { role })).email);
    }
  });
  after(async () => {
    await server.close();
  });

  test('every GET route, for a visitor, a member and an administrator', async () => {
    const failures: string[] = [];
    let pages = 0;
    const routes = routesOf(server).filter((route) => route.method === 'GET');
    for (const route of routes) {
      for (const [who, client] of Object.entries(clients)) {
        const response = await client.get(samplePath(route.url));
        // Every answer, whatever its type, carries the headers (they are set for every request).
        const problems = headerProblems(response);
        if (/text\/html/.test(response.headers.get('content-type') ?? '')) {
          pages += 1;
          problems.push(...inlineProblems(response.text));
        }
        if (problems.length) failures.push(`${label(route)} as ${who} (${response.status}): ${problems.join('; ')}`);
      }
    }
    console.log(`page headers: ${routes.length} GET routes × 3 callers checked, ${pages} HTML pages scanned for inline script and styles`);
    assert.deepEqual(failures, []);
  });

  test('the page checks can tell: they find what they look for', () => {
    assert.deepEqual(inlineProblems('<script src="/a.js"></script><script type="application/json">{}</script>'), []);
    assert.equal(inlineProblems('<script>alert(1)</script>').length, 1);
    assert.equal(inlineProblems('<img src=x onerror="alert(1)">').length, 1);
    assert.equal(inlineProblems('<p style="color:red">x</p>').length, 1);
    assert.deepEqual(cspProblems("default-src 'self'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'").length, 2);
  });

  test('no view writes a style or handler attribute, or raw HTML other than the listed trusted sources', () => {
    // Raw HTML in views: each source and why it is safe.
    const rawHtml = new Map([
      ['src/modules/packs/views/awareness-pages.tsx', 'Markdown from content/ (the repository), rendered with raw HTML off'],
      ['src/modules/packs/views/pack-pages.tsx', 'Markdown from content/ (the repository), rendered with raw HTML off'],
      ['src/modules/accounts/views/two-factor-page.tsx', 'the QR code SVG made by the qrcode library from the otpauth URI'],
      ['src/modules/newsletter/views/editor-pages.tsx', "an edition's Markdown, rendered with raw HTML off (markdown-it html: false)"],
    ]);
    const problems: string[] = [];
    const walk = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : entry.name.endsWith('.tsx') ? [path.join(dir, entry.name)] : []));
    for (const file of walk(path.join(ROOT, 'src'))) {
      const relative = path.relative(ROOT, file);
      const source = fs.readFileSync(file, 'utf8');
      if (/\sstyle=\{|\sstyle="/.test(source)) problems.push(`${relative}: a style attribute`);
      if (/\son[A-Z][a-zA-Z]*=\{/.test(source)) problems.push(`${relative}: an event handler attribute`);
      if (source.includes('dangerouslySetInnerHTML') && !rawHtml.has(relative)) problems.push(`${relative}: raw HTML from an unlisted source`);
    }
    assert.deepEqual(problems, []);
  });
});
