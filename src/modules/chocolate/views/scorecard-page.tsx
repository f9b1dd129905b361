/**
 * The public scorecard table, one page of companies at a time: filter by name or brand, country,
 * criterion, grade and year; sort by any column; page through. Links and a GET form, so it works
 * without JavaScript. Every label is translated once per page, not once per cell.
 */
import { countryList, countryName } from '../../../core/countries.ts';
import type { Language } from '../../../core/i18n.ts';
import type { FieldErrors } from '../../../core/outcome.ts';
import { ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import { SelectField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import { GRADES, PER_PAGE, type Scorecard } from '../scorecard.ts';
import type { Grade } from '../tables.ts';
import { CampaignLinks, GradeScale } from './parts.tsx';

type State = Pick<Scorecard, 'year' | 'country' | 'q' | 'criterion' | 'grade' | 'sort' | 'dir' | 'page' | 'perPage'>;

/** The scorecard's address with some of its state changed (a sort resets to the first page). */
function link(card: State, change: Partial<State>): string {
  const next = { ...card, ...change };
  const params = new URLSearchParams();
  if (next.q) params.set('q', next.q);
  if (next.country) params.set('country', next.country);
  if (next.criterion) params.set('criterion', next.criterion);
  if (next.grade) params.set('grade', next.grade);
  if (next.year) params.set('year', String(next.year));
  params.set('sort', next.sort);
  params.set('dir', next.dir);
  if (next.perPage !== PER_PAGE) params.set('perPage', String(next.perPage));
  if (next.page > 1) params.set('page', String(next.page));
  return `/chocolate?${params.toString()}#scorecard`;
}

const sortLink = (card: State, column: string) =>
  link(card, { sort: column, page: 1, dir: card.sort === column && card.dir === 'asc' ? 'desc' : card.sort === column ? 'asc' : column === 'name' || column === 'country' ? 'asc' : 'desc' });

/** Country lists sorted once per language (about 250 names through localeCompare). */
const countryOptions = new Map<Language, { value: string; label: string }[]>();
function countriesFor(lang: Language) {
  let list = countryOptions.get(lang);
  if (!list) countryOptions.set(lang, (list = countryList(lang).map((c) => ({ value: c.code, label: c.name }))));
  return list;
}

function SortHeader({ card, column, label, hint }: { card: Scorecard; column: string; label: string; hint: { asc: string; desc: string } }) {
  const active = card.sort === column;
  return (
    <th scope="col" aria-sort={active ? (card.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <a href={sortLink(card, column)}>
        {label}
        <span class="visually-hidden"> — {active && card.dir === 'asc' ? hint.desc : hint.asc}</span>
      </a>
      {active && <span aria-hidden="true">{card.dir === 'asc' ? ' ▲' : ' ▼'}</span>}
    </th>
  );
}

function Pager({ view, card }: { view: ViewContext; card: Scorecard }) {
  if (card.pages <= 1) return null;
  const { t } = view;
  // The first, the last, and two either side of this one.
  const shown = [...new Set([1, card.page - 2, card.page - 1, card.page, card.page + 1, card.page + 2, card.pages])].filter((p) => p >= 1 && p <= card.pages).sort((a, b) => a - b);
  return (
    <nav class="pager" aria-label={t('chocolate.scorecard.pages')}>
      <ul>
        {card.page > 1 && (
          <li>
            <a href={link(card, { page: card.page - 1 })} rel="prev">
              {t('chocolate.scorecard.previous')}
            </a>
          </li>
        )}
        {shown.map((p, i) => (
          <li key={p}>
            {i > 0 && p - shown[i - 1]! > 1 && <span aria-hidden="true">… </span>}
            {p === card.page ? (
              <a href={link(card, { page: p })} aria-current="page" aria-label={t('chocolate.scorecard.pageLabel', { page: p, pages: card.pages })}>
                {p}
              </a>
            ) : (
              <a href={link(card, { page: p })} aria-label={t('chocolate.scorecard.pageLabel', { page: p, pages: card.pages })}>
                {p}
              </a>
            )}
          </li>
        ))}
        {card.page < card.pages && (
          <li>
            <a href={link(card, { page: card.page + 1 })} rel="next">
              {t('chocolate.scorecard.next')}
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}

export function ScorecardPage({ view, card, errors }: { view: ViewContext; card: Scorecard; errors?: FieldErrors | undefined }) {
  const { t } = view;
  // Resolved once for the page: the cells only look them up.
  const gradeTitle = Object.fromEntries(GRADES.map((g) => [g, t(`chocolate.grades.${g}`)])) as Record<Grade, string>;
  const notGraded = t('chocolate.grades.none');
  const countries = new Map<string, string>();
  const country = (code: string) => {
    let name = countries.get(code);
    if (name === undefined) countries.set(code, (name = countryName(code, view.lang)));
    return name;
  };
  const decimal = new Intl.NumberFormat(view.lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const hint = { asc: t('chocolate.scorecard.sortAscending'), desc: t('chocolate.scorecard.sortDescending') };
  const first = (card.page - 1) * card.perPage + 1;
  return (
    <section>
      <h1>{t('chocolate.scorecard.title')}</h1>
      <p>{t('chocolate.scorecard.intro')}</p>
      <CampaignLinks view={view} />
      <h2>{t('chocolate.scorecard.filter')}</h2>
      <ErrorSummary view={view} errors={errors} />
      <form method="get" action="/chocolate" class="search">
        <Field view={view} name="q" label={t('chocolate.scorecard.search')} value={card.q} maxLength={100} errors={errors} />
        <SelectField view={view} name="country" label={t('chocolate.fields.country')} blank={t('chocolate.scorecard.anyCountry')} value={card.country} errors={errors} options={countriesFor(view.lang)} />
        <SelectField view={view} name="criterion" label={t('chocolate.fields.criterion')} blank={t('chocolate.scorecard.anyCriterion')} value={card.criterion} errors={errors} options={card.criteria.map((k) => ({ value: k.slug, label: k.name }))} />
        <SelectField view={view} name="grade" label={t('chocolate.fields.grade')} hint={t('chocolate.scorecard.gradeHint')} blank={t('chocolate.scorecard.anyGrade')} value={card.grade} errors={errors} options={GRADES.map((g) => ({ value: g, label: gradeTitle[g] }))} />
        {card.years.length > 0 && (
          <SelectField view={view} name="year" label={t('chocolate.fields.year')} value={card.year ? String(card.year) : undefined} errors={errors} options={card.years.map((y) => ({ value: String(y), label: String(y) }))} />
        )}
        <input type="hidden" name="sort" value={card.sort} />
        <input type="hidden" name="dir" value={card.dir} />
        <SubmitButton>{t('chocolate.scorecard.apply')}</SubmitButton>
      </form>
      <GradeScale view={view} />
      <p role="status">
        {card.companies.length === 0 || card.pages === 1
          ? t('chocolate.scorecard.count', { count: card.total })
          : t('chocolate.scorecard.range', { count: card.total, from: first, to: first + card.companies.length - 1 })}
      </p>
      {card.companies.length === 0 ? (
        <p class="hint empty-state">
          {card.total > 0 ? (
            <a href={link(card, { page: 1 })}>{t('chocolate.scorecard.firstPage')}</a>
          ) : (
            t('chocolate.scorecard.empty')
          )}
        </p>
      ) : (
        <div class="table-scroll" tabindex={0} role="region" aria-labelledby="scorecard-caption">
          <table id="scorecard" class="scorecard">
            <caption id="scorecard-caption">
              {card.year ? t('chocolate.scorecard.caption', { year: card.year }) : t('chocolate.scorecard.captionNoYear')}
              {card.pages > 1 && ` ${t('chocolate.scorecard.pageLabel', { page: card.page, pages: card.pages })}`}
            </caption>
            <thead>
              <tr>
                <SortHeader card={card} hint={hint} column="name" label={t('chocolate.fields.company')} />
                <SortHeader card={card} hint={hint} column="country" label={t('chocolate.fields.country')} />
                {card.criteria.map((k) => (
                  <SortHeader key={k.slug} card={card} hint={hint} column={k.slug} label={k.name} />
                ))}
                <SortHeader card={card} hint={hint} column="average" label={t('chocolate.scorecard.average')} />
              </tr>
            </thead>
            <tbody>
              {card.companies.map((c) => (
                <tr key={c.slug}>
                  <th scope="row">
                    <a href={`/chocolate/companies/${c.slug}`}>{c.name}</a>
                  </th>
                  <td>{country(c.country)}</td>
                  {card.criteria.map((k) => {
                    const grade = c.grades[k.slug];
                    return grade ? (
                      <td key={k.slug} class={`grade grade-${grade}`}>
                        <abbr title={gradeTitle[grade]}>{grade}</abbr>
                      </td>
                    ) : (
                      <td key={k.slug} class="grade grade-none">
                        {notGraded}
                      </td>
                    );
                  })}
                  <td>{c.average === null ? '—' : decimal.format(c.average)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager view={view} card={card} />
    </section>
  );
}
