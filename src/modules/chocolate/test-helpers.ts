/** Helpers for the chocolate tests: editors, and datasets imported through the editors' form. */
import { person, type Person } from '../../../test/support/people.ts';
import type { TestServer } from '../../../test/support/server.ts';
import { csrfFrom } from '../../../test/support/client.ts';

export type { Person };

export const editor = (server: TestServer): Promise<Person> => person(server, { role: 'editor', scopes: ['chocolate:write'] });

/** Imports a CSV dataset through the editors' page, failing loudly unless every row went in. */
export async function importCsv(who: Person, dataset: string, csv: string): Promise<void> {
  const page = await who.browser.get('/chocolate/manage');
  const response = await who.browser.postForm('/chocolate/manage/import', { _csrf: csrfFrom(page.text), dataset, csv });
  if (response.status !== 303) throw new Error(`import of ${dataset} failed: ${response.status} ${/<div class="error-summary"[\s\S]*?<\/div>/.exec(response.text)?.[0] ?? response.text.slice(0, 500)}`);
}

export const COMPANIES_CSV = [
  'slug,name,country,brands,parent_company,contact_email,website,suggested',
  'cocoa-giant,Cocoa Giant plc,GB,Giant Bar; Giant Eggs,,csr@cocoa-giant.example,https://cocoa-giant.example,yes',
  'bean-bros,Bean Brothers SA,FR,"Bonbon; Fève, la vraie",Bean Holdings,contact@bean-bros.example,,no',
  'quiet-choc,Quiet Chocolate GmbH,DE,,,,,no',
].join('\r\n');
