/**
 * The home page through the real server: both campaigns, the actions a visitor can take now, and
 * no link to a page that is not part of this build.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '../../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

describe('home page', () => {
  let server: TestServer;
  let client: Client;

  before(async () => {
    server = await startTestServer();
    client = new Client(server.url);
  });
  after(async () => {
    await server.close();
  });

  test('presents both campaigns and the actions, each one link that leads somewhere', async () => {
    const home = await client.get('/');
    assert.equal(home.status, 200);
    assert.match(home.text, /Stop sex trafficking in our communities/);
    assert.match(home.text, /Traffik-free chocolate/);
    const actions = /<ul class="home-actions">([\s\S]*?)<\/ul>/.exec(home.text)![1]!;
    const hrefs = [...actions.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    // Reporting first; joining a group, learning the signs and the packs are always part of CAST.
    assert.equal(hrefs[0], '/report');
    for (const href of ['/groups', '/what-to-look-for']) assert.ok(hrefs.includes(href), href);
    const links = [...home.text.matchAll(/href="(\/[^"#]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    assert.ok(links.includes('/packs?topic=chocolate') && links.includes('/packs?topic=sex-trafficking'));
    for (const link of new Set(links)) {
      if (link.startsWith('/static/') || link.startsWith('/assets/') || link.startsWith('/language/')) continue;
      const response = await client.get(link);
      assert.ok(response.status === 200 || response.status === 303, `${link} answered ${response.status}`);
    }
  });

  test('speaks French', async () => {
    const french = new Client(server.url);
    const home = await french.get('/', { 'accept-language': 'fr' });
    assert.match(home.text, /Nos deux campagnes/);
    assert.match(home.text, /Signaler ce que vous avez vu/);
  });
});
