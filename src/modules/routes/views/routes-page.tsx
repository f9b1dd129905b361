/**
 * The coordinators' routes page (a group's, or a country's for its national coordinators): a GET
 * form for the period and type, the flow map, and the same flows as tables, CAST's reports and the
 * CTDC context layer apart and labelled.
 */
import type { FieldErrors } from '../../../core/outcome.ts';
import { SelectField } from '../../../core/views/form-controls.tsx';
import { ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { RouteFlows } from '../flows.ts';
import { FlowMap, FlowTable } from './flow-parts.tsx';

export interface RoutesPageProps {
  view: ViewContext;
  title: string;
  action: string;
  /** As typed, to refill the form. */
  raw: { from?: string | undefined; to?: string | undefined; type?: string | undefined };
  errors: FieldErrors | undefined;
  flows: RouteFlows | undefined;
  types: { value: string; label: string }[];
}

export function RoutesPage({ view, title, action, raw, errors, flows, types }: RoutesPageProps) {
  const { t } = view;
  return (
    <section class="routes">
      <h1>{title}</h1>
      <p>{t('routes.page.intro')}</p>
      <ErrorSummary view={view} errors={errors} />
      <form method="get" action={action} class="route-filters">
        <Field view={view} name="from" label={t('routes.filters.from')} hint={t('routes.filters.monthHint')} value={raw.from ?? flows?.from} errors={errors} maxLength={7} />
        <Field view={view} name="to" label={t('routes.filters.to')} hint={t('routes.filters.monthHint')} value={raw.to ?? flows?.to} errors={errors} maxLength={7} />
        <SelectField view={view} name="type" label={t('routes.filters.type')} blank={t('routes.filters.allTypes')} value={raw.type} errors={errors} options={types} />
        <SubmitButton>{t('routes.filters.apply')}</SubmitButton>
      </form>
      {flows && (
        <>
          <p role="status">{flows.flows.length === 0 ? t('routes.page.none', { from: flows.from, to: flows.to }) : t('routes.page.summary', { flows: flows.flows.length, from: flows.from, to: flows.to })}</p>
          <FlowMap view={view} />
          <h2>{t('routes.page.castHeading')}</h2>
          <p>{t('routes.page.legsExplained')}</p>
          {flows.flows.length > 0 && (
            <FlowTable view={view} layer="cast" caption={t('routes.page.castCaption', { from: flows.from, to: flows.to })} unit={t('routes.table.reports')} rows={flows.flows.map((f) => ({ from: f.from, to: f.to, count: f.reports }))} />
          )}
          <h2>{t('routes.page.ctdcHeading')}</h2>
          {flows.context ? (
            <>
              <p>{t('routes.page.ctdcIntro', { label: flows.context.label, date: flows.context.importedAt.slice(0, 10), k: flows.context.k })}</p>
              {flows.context.flows.length > 0 ? (
                <FlowTable view={view} layer="ctdc" caption={t('routes.page.ctdcCaption', { label: flows.context.label })} unit={t('routes.table.records')} rows={flows.context.flows.map((f) => ({ from: f.from, to: f.to, count: f.records }))} />
              ) : (
                <p>{t('routes.page.ctdcNone')}</p>
              )}
            </>
          ) : (
            <p>{t('routes.page.ctdcMissing')}</p>
          )}
        </>
      )}
    </section>
  );
}
