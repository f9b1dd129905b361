/**
 * A small browser-like HTTP client for integration tests: it keeps cookies, does not follow
 * redirects (tests check them), and fills in a form's CSRF token from the page that shows the form.
 */
export interface Response {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
  json<T = unknown>(): T;
}

export class Client {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, init: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(new URL(path, this.baseUrl), { method, headers, body: typeof init.body === 'string' || init.body === undefined ? init.body : new Uint8Array(init.body), redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, location: response.headers.get('location'), json: () => JSON.parse(text) };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request('GET', path, { headers });
  }

  /** Posts a form as a browser would, with no CSRF token unless one is given. */
  postForm(path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Response> {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) for (const v of ([] as string[]).concat(value)) body.append(key, v);
    return this.request('POST', path, { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }

  /** Opens the page that holds a form, then submits the form with that page's CSRF token. */
  async submit(pagePath: string, actionPath: string, fields: Record<string, string | string[]>): Promise<Response> {
    const page = await this.get(pagePath);
    return this.postForm(actionPath, { _csrf: csrfFrom(page.text), ...fields });
  }

  async json(method: string, path: string, body?: unknown, token?: string): Promise<Response> {
    return this.request(method, path, {
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  }
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('No CSRF field on this page');
  return match[1]!;
}

export function linkFrom(text: string, pathPrefix: string): string {
  const match = new RegExp(`https?://[^\\s]+(${pathPrefix.replace(/\//g, '\\/')}[^\\s]*)`).exec(text);
  if (!match) throw new Error(`No ${pathPrefix} link in: ${text}`);
  return match[1]!;
}
