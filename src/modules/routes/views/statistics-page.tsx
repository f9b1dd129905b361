/**
 * Public statistics: flows between countries from CAST's reviewed reports and, apart and labelled,
 * from the CTDC data set, with CTDC totals by country and type. Every number sums counts of at least
 * k; the page says so. Works without JavaScript; the flow map is an addition.
 */
import { countryName } from '../../../core/countries.ts';
import type { FieldErrors } from '../../../core/outcome.ts';
import { SelectField } from '../../../core/views/form-controls.tsx';
import { ErrorSummary, SubmitButton } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { PublicStatistics } from '../statistics.ts';
import { FlowMap, FlowTable } from './flow-parts.tsx';

export interface StatisticsPageProps {
  view: ViewContext;
  raw: { year?: string | undefined; type?: string | undefined };
  errors: FieldErrors | undefined;
  statistics: PublicStatistics | undefined;
  types: { value: string; label: string }[];
  years: number[];
  k: number;
}

export function StatisticsPage({ view, raw, errors, statistics, types, years, k }: StatisticsPageProps) {
  const { t } = view;
  const typeLabel = (id: string) => types.find((x) => x.value === id)?.label ?? id;
  return (
    <section class="routes statistics">
      <h1>{t('routes.statistics.title')}</h1>
      <p>{t('routes.statistics.intro')}</p>
      <p>{t('routes.statistics.protection', { k })}</p>
      <ErrorSummary view={view} errors={errors} />
      <form method="get" action="/statistics" class="route-filters">
        <SelectField view={view} name="year" label={t('routes.statistics.year')} blank={t('routes.statistics.allYears')} value={raw.year} errors={errors} options={years.map((y) => ({ value: String(y), label: String(y) }))} />
        <SelectField view={view} name="type" label={t('routes.filters.type')} blank={t('routes.filters.allTypes')} value={raw.type} errors={errors} options={types} />
        <SubmitButton>{t('routes.filters.apply')}</SubmitButton>
      </form>
      {statistics && (
        <>
          <FlowMap view={view} />
          <h2>{t('routes.statistics.castHeading')}</h2>
          {statistics.cast.fromMonth && statistics.cast.toMonth ? <p>{t('routes.statistics.castPeriod', { from: statistics.cast.fromMonth, to: statistics.cast.toMonth })}</p> : null}
          {statistics.cast.flows.length > 0 ? (
            <FlowTable view={view} layer="cast" caption={t('routes.statistics.castCaption')} unit={t('routes.table.reports')} rows={statistics.cast.flows.map((f) => ({ from: f.from, to: f.to, count: f.reports }))} />
          ) : (
            <p>{t('routes.statistics.castNone', { k })}</p>
          )}
          <h2>{t('routes.statistics.ctdcHeading')}</h2>
          {statistics.ctdc ? (
            <>
              <p>{t('routes.statistics.ctdcIntro', { label: statistics.ctdc.label, date: statistics.ctdc.importedAt.slice(0, 10), records: statistics.ctdc.records })}</p>
              {statistics.ctdc.flows.length > 0 ? (
                <FlowTable view={view} layer="ctdc" caption={t('routes.page.ctdcCaption', { label: statistics.ctdc.label })} unit={t('routes.table.records')} rows={statistics.ctdc.flows.map((f) => ({ from: f.from, to: f.to, count: f.records }))} />
              ) : (
                <p>{t('routes.statistics.ctdcNone', { k })}</p>
              )}
              {statistics.ctdc.byCountry.length > 0 && (
                <table class="route-totals" data-ctdc-by-country="">
                  <caption>{t('routes.statistics.byCountryCaption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('routes.table.country')}</th>
                      <th scope="col">{t('routes.table.records')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {statistics.ctdc.byCountry.map((row) => (
                      <tr key={row.country}>
                        <td>{countryName(row.country, view.lang)}</td>
                        <td>{row.records}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {statistics.ctdc.byType.length > 0 && (
                <table class="route-totals" data-ctdc-by-type="">
                  <caption>{t('routes.statistics.byTypeCaption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('routes.filters.type')}</th>
                      <th scope="col">{t('routes.table.records')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {statistics.ctdc.byType.map((row) => (
                      <tr key={row.type}>
                        <td>{typeLabel(row.type)}</td>
                        <td>{row.records}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          ) : (
            <p>{t('routes.statistics.ctdcMissing')}</p>
          )}
        </>
      )}
    </section>
  );
}
