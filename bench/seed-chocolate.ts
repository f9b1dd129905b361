/**
 * Seeds the chocolate scenarios before the server starts: 500 companies (each with a contact
 * address), 10 criteria (the 4 of the migration and 6 more) and a grade for every company ×
 * criterion × year over 15 years (75,000 assessments), in batched multi-row inserts.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../src/core/db/tables.ts';
import type { ChocolateTables, Grade } from '../src/modules/chocolate/tables.ts';

export const SEEDED_COMPANIES = 500;
export const SEEDED_YEARS = 15;
const BATCH = 2000;
const GRADES: Grade[] = ['A', 'B', 'C', 'D', 'E'];
const COUNTRIES = ['GB', 'FR', 'CH', 'BE', 'NL', 'DE', 'US', 'CI', 'GH', 'IT'];

export interface ChocolateSeed {
  /** Slugs of the seeded companies, for the action e-mail scenario to choose from. */
  companies: string[];
}

export async function seedChocolate(base: Kysely<Tables>): Promise<ChocolateSeed> {
  const db = base.withTables<ChocolateTables>();
  for (let i = 5; i <= 10; i += 1) await db.insertInto('chocolate_criteria').values({ slug: `bench-criterion-${i}`, name: `Bench criterion ${i}`, description: '', position: i }).execute();
  const criteria = await db.selectFrom('chocolate_criteria').select('id').execute();
  const companies = await db
    .insertInto('chocolate_companies')
    .values(
      Array.from({ length: SEEDED_COMPANIES }, (_, i) => ({
        slug: `bench-company-${i}`,
        name: `Bench Chocolate ${String(i).padStart(3, '0')}`,
        country: COUNTRIES[i % COUNTRIES.length]!,
        brands: [`Bar ${i}`, `Egg ${i}`],
        contact_email: `company-${i}@bench.example`,
        suggested: i < 3,
      })),
    )
    .returning(['id', 'slug'])
    .execute();
  const rows: { company_id: string; criterion_id: string; year: number; grade: Grade; source_url: string }[] = [];
  const thisYear = new Date().getUTCFullYear();
  for (const [c, company] of companies.entries())
    for (const [k, criterion] of criteria.entries())
      for (let y = 0; y < SEEDED_YEARS; y += 1) rows.push({ company_id: company.id, criterion_id: criterion.id, year: thisYear - y, grade: GRADES[(c + k + y) % GRADES.length]!, source_url: `https://example.org/evidence/${c}/${y}` });
  for (let start = 0; start < rows.length; start += BATCH) await db.insertInto('chocolate_assessments').values(rows.slice(start, start + BATCH)).execute();
  return { companies: companies.map((c) => c.slug) };
}
