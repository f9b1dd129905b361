/**
 * Real Chromium for end-to-end tests (Debian's /usr/bin/chromium, driven by playwright-core), with
 * axe-core for accessibility and a watch on the console for errors and Content-Security-Policy
 * violations. Pages are opened under the site's real CSP: axe is evaluated through the DevTools
 * protocol, which a page's CSP does not govern, so no test needs to weaken the policy it checks.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page, type Response } from 'playwright-core';
import { codeFor, PASSWORD } from './accounts.ts';
import { startMailbox, type Mailbox } from './mailbox.ts';
import { startTestServer, type TestServer } from './server.ts';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Generous: two test files share two noisy cores with argon2 hashing and an in-process database. */
export const NAVIGATION_TIMEOUT_MS = 30_000;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 60_000,
  });
}

interface Problem {
  text: string;
  url: string;
}

const problems = new WeakMap<Page, Problem[]>();
const navigations = new WeakMap<Page, Set<string>>();
/** Pages opened with JavaScript turned off (axe cannot run inside them). */
const withoutScript = new WeakSet<Page>();

export interface Session {
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}

/**
 * A fresh browser context (its own cookies) with one page that records console errors, uncaught
 * page errors and CSP reports. The CSP is enforced unless a test asks otherwise.
 */
export async function openSession(browser: Browser, options: BrowserContextOptions = {}): Promise<Session> {
  const context = await browser.newContext({ locale: 'en-GB', ...options });
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
  context.setDefaultTimeout(NAVIGATION_TIMEOUT_MS);
  const page = await context.newPage();
  watch(page);
  if (options.javaScriptEnabled === false) withoutScript.add(page);
  return { context, page, close: () => context.close() };
}

function watch(page: Page): void {
  const seen: Problem[] = [];
  const documents = new Set<string>();
  problems.set(page, seen);
  navigations.set(page, documents);
  page.on('request', (request) => {
    if (request.isNavigationRequest()) documents.add(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) seen.push({ text: message.text(), url: message.location().url });
  });
  page.on('pageerror', (error) => seen.push({ text: `uncaught: ${error.message}`, url: page.url() }));
}

/**
 * Asserts that nothing went wrong on the page so far: no console errors, no uncaught errors, no CSP
 * violations. Chromium logs every non-2xx response as "Failed to load resource"; for the page's own
 * document that is the status the test meant to see (a 404 page, a 422 form), so it is not counted.
 * Any other failed load (a stylesheet, an icon) is.
 */
export function expectNoConsoleProblems(page: Page): void {
  const documents = navigations.get(page) ?? new Set<string>();
  const found = (problems.get(page) ?? []).filter((problem) => !(/^Failed to load resource: the server responded with a status of \d+/.test(problem.text) && documents.has(problem.url)));
  assert.deepEqual(
    found.map((p) => `${p.text}${p.url ? ` (${p.url})` : ''}`),
    [],
    `console problems on ${page.url()}`,
  );
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe-core on the page as it is now, for WCAG 2.x A and AA, and fails listing each violation. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const hasAxe = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  }, WCAG_TAGS);
  const report = violations.map((v) => `${v.id} [${v.impact ?? 'unknown'}] ${v.help}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  assert.deepEqual(report, [], `accessibility violations on ${page.url()}:\n${report.join('\n')}`);
}

/**
 * Both checks: what every page visited in a journey must pass. axe is JavaScript, and evaluating it in
 * a page with scripts disabled hangs that page; so a page seen without JavaScript is checked as a copy
 * (its HTML, scripts left out) in a second page with JavaScript, on the same origin so that its
 * stylesheet and links resolve as in the original.
 */
export async function expectHealthyPage(page: Page): Promise<void> {
  expectNoConsoleProblems(page);
  if (withoutScript.has(page)) await expectNoAxeViolationsInCopy(page);
  else await expectNoAxeViolations(page);
  expectNoConsoleProblems(page);
}

async function expectNoAxeViolationsInCopy(page: Page): Promise<void> {
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '');
  const browser = page.context().browser();
  assert.ok(browser, 'the page belongs to a launched browser');
  const checker = await openSession(browser);
  try {
    await visit(checker.page, new URL(page.url()).origin, '/leave-no-trace');
    await checker.page.setContent(html, { waitUntil: 'load' });
    await expectNoAxeViolations(checker.page);
  } finally {
    await checker.close();
  }
}

/** The path and query of a URL (links in mail and the setup link name the public host, tests use their own). */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** Opens a path of the test server and returns the document's response (after any redirects). */
export async function visit(page: Page, baseUrl: string, path: string): Promise<Response> {
  const response = await page.goto(new URL(path, baseUrl).toString(), { waitUntil: 'load' });
  assert.ok(response, `no response for ${path}`);
  return response;
}

/**
 * Clicks something that submits a form or follows a link and waits for the page that results
 * (after redirects); returns its response so the test can check the status.
 */
export async function submitWith(page: Page, control: Locator): Promise<Response> {
  // waitForNavigation, not waitForURL: a form that fails validation comes back at the same URL.
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), control.click()]);
  assert.ok(response, `no response after clicking on ${page.url()}`);
  return response;
}

export function button(page: Page, name: string | RegExp): Locator {
  return page.getByRole('button', { name, exact: typeof name === 'string' });
}

/** Fills the sign-in form (found by its labels, as a person would) and submits it. */
export async function signInWithPassword(page: Page, baseUrl: string, email: string, password = PASSWORD): Promise<Response> {
  await visit(page, baseUrl, '/signin');
  await expectHealthyPage(page);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  return submitWith(page, page.locator('main').getByRole('button', { name: 'Sign in', exact: true }));
}

/** The secret shown on the two-factor set-up page, for manual entry. */
export async function secretOnPage(page: Page): Promise<string> {
  const secret = await page.locator('[data-secret]').getAttribute('data-secret');
  assert.match(secret ?? '', /^[A-Z2-7]+$/, 'the two-factor page shows the secret');
  return secret!;
}

const TOTP_STEP_MS = 30_000;
const lastStepUsed = new Map<string, number>();

/**
 * A code for the secret that the server has not seen yet: a time step can be used once, so if this
 * step was already used with this secret, wait for the next one (the only sleep in the browser tests).
 */
export async function freshCodeFor(secret: string): Promise<string> {
  const used = lastStepUsed.get(secret);
  if (used !== undefined && Math.floor(Date.now() / TOTP_STEP_MS) <= used) {
    await new Promise((resolve) => setTimeout(resolve, (used + 1) * TOTP_STEP_MS - Date.now() + 250));
  }
  const now = Date.now();
  lastStepUsed.set(secret, Math.floor(now / TOTP_STEP_MS));
  return codeFor(secret, now);
}

/** Types a fresh code into the page's code field and submits it. */
export async function enterCode(page: Page, secret: string, submitLabel: string): Promise<Response> {
  await page.getByLabel('Code', { exact: true }).fill(await freshCodeFor(secret));
  return submitWith(page, button(page, submitLabel));
}

export interface BrowserSuite {
  server: TestServer;
  browser: Browser;
  /** Only when asked for: a real SMTP server that CAST delivers to. */
  mailbox: Mailbox;
}

/**
 * Registers the hooks every browser test file needs in its describe(): a CAST server (delivering to
 * a test mailbox when asked) and a Chromium, both closed afterwards. Fields are set once `before` ran.
 */
export function useBrowserSuite(options: { mailbox?: boolean } = {}): BrowserSuite {
  const suite = {} as BrowserSuite;
  before(async () => {
    if (options.mailbox) suite.mailbox = await startMailbox();
    // allSettled, not all: when the server fails to start, the browser that did launch must still be
    // kept so `after` closes it — a leaked Chromium keeps the test process alive until it times out.
    const [server, browser] = await Promise.allSettled([startTestServer(options.mailbox ? { smtpUrl: suite.mailbox.url } : {}), launchBrowser()]);
    if (server.status === 'fulfilled') suite.server = server.value;
    if (browser.status === 'fulfilled') suite.browser = browser.value;
    for (const started of [server, browser]) if (started.status === 'rejected') throw started.reason;
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.close();
    await suite.mailbox?.close();
  });
  return suite;
}
