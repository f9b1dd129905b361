/** Calls the JSON API as a signed-in browser would (session cookie plus CSRF header), for test fixtures. */
import { csrfFrom, type Client } from './client.ts';

/** Fails loudly on anything but success, so a broken fixture never turns into a confusing row. */
export async function sessionCall(client: Client, method: string, path: string, body?: unknown): Promise<Record<string, string>> {
  const csrf = csrfFrom((await client.get('/signup')).text);
  const response = await client.request(method, path, {
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    headers: { 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
  });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
  return response.text ? response.json<Record<string, string>>() : {};
}
