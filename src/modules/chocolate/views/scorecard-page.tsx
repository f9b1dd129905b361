/** The public scorecard table: filter by country, name or year; sort by any column (links, so it works without JavaScript). */
import { countryList, countryName } from '../../../core/countries.ts';
import type { FieldErrors } from '../../../core/outcome.ts';
import { ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import { SelectField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { Scorecard } from '../scorecard.ts';
import { CampaignLinks, GradeCell, GradeScale } from './parts.tsx';

function sortLink(card: Pick<Scorecard, 'year' | 'country' | 'q' | 'sort' | 'dir'>, column: string): string {
  const params = new URLSearchParams();
  if (card.q) params.set('q', card.q);
  if (card.country) params.set('country', card.country);
  if (card.year) params.set('year', String(card.year));
  params.set('sort', column);
  params.set('dir', card.sort === column && card.dir === 'asc' ? 'desc' : card.sort === column ? 'asc' : column === 'name' || column === 'country' ? 'asc' : 'desc');
  return `/chocolate?${params.toString()}#scorecard`;
}

function SortHeader({ view, card, column, label }: { view: ViewContext; card: Scorecard; column: string; label: string }) {
  const active = card.sort === column;
  return (
    <th scope="col" aria-sort={active ? (card.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <a href={sortLink(card, column)}>
        {label}
        <span class="visually-hidden"> — {view.t(active && card.dir === 'asc' ? 'chocolate.scorecard.sortDescending' : 'chocolate.scorecard.sortAscending')}</span>
      </a>
      {active && <span aria-hidden="true">{card.dir === 'asc' ? ' ▲' : ' ▼'}</span>}
    </th>
  );
}

export function ScorecardPage({ view, card, errors }: { view: ViewContext; card: Scorecard; errors?: FieldErrors | undefined }) {
  const { t } = view;
  return (
    <section>
      <h1>{t('chocolate.scorecard.title')}</h1>
      <p>{t('chocolate.scorecard.intro')}</p>
      <CampaignLinks view={view} />
      <h2>{t('chocolate.scorecard.filter')}</h2>
      <ErrorSummary view={view} errors={errors} />
      <form method="get" action="/chocolate" class="search">
        <Field view={view} name="q" label={t('chocolate.scorecard.search')} value={card.q} maxLength={100} errors={errors} />
        <SelectField view={view} name="country" label={t('chocolate.fields.country')} blank={t('chocolate.scorecard.anyCountry')} value={card.country} errors={errors} options={countryList(view.lang).map((c) => ({ value: c.code, label: c.name }))} />
        {card.years.length > 0 && (
          <SelectField view={view} name="year" label={t('chocolate.fields.year')} value={card.year ? String(card.year) : undefined} errors={errors} options={card.years.map((y) => ({ value: String(y), label: String(y) }))} />
        )}
        <input type="hidden" name="sort" value={card.sort} />
        <input type="hidden" name="dir" value={card.dir} />
        <SubmitButton>{t('chocolate.scorecard.apply')}</SubmitButton>
      </form>
      <GradeScale view={view} />
      <p role="status">{t('chocolate.scorecard.count', { count: card.companies.length })}</p>
      {card.companies.length === 0 ? (
        <p class="hint empty-state">{t('chocolate.scorecard.empty')}</p>
      ) : (
        <div class="table-scroll" tabindex={0} role="region" aria-labelledby="scorecard-caption">
          <table id="scorecard" class="scorecard">
            <caption id="scorecard-caption">{card.year ? t('chocolate.scorecard.caption', { year: card.year }) : t('chocolate.scorecard.captionNoYear')}</caption>
            <thead>
              <tr>
                <SortHeader view={view} card={card} column="name" label={t('chocolate.fields.company')} />
                <SortHeader view={view} card={card} column="country" label={t('chocolate.fields.country')} />
                {card.criteria.map((k) => (
                  <SortHeader key={k.slug} view={view} card={card} column={k.slug} label={k.name} />
                ))}
                <SortHeader view={view} card={card} column="average" label={t('chocolate.scorecard.average')} />
              </tr>
            </thead>
            <tbody>
              {card.companies.map((c) => (
                <tr key={c.slug}>
                  <th scope="row">
                    <a href={`/chocolate/companies/${c.slug}`}>{c.name}</a>
                  </th>
                  <td>{countryName(c.country, view.lang)}</td>
                  {card.criteria.map((k) => (
                    <GradeCell key={k.slug} view={view} grade={c.grades[k.slug] ?? null} />
                  ))}
                  <td>{c.average === null ? '—' : c.average.toLocaleString(view.lang, { minimumFractionDigits: 1 })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
