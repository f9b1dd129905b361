/**
 * The export form, reached from a work queue with the queue's filters: they go along as hidden
 * fields (and are listed, so the person sees what will be exported); the person picks a format and
 * may ask for restricted fields with a reason. Posts to /exports, which downloads at once or starts a
 * job (the "your exports" page then shows its progress).
 */
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary } from '../../../core/views/form.tsx';
import { SelectField, TextAreaField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { ScopeLabel } from '../../reports/index.ts';
import { FORMATS } from '../export-formats.ts';
import { filtersToQuery, type ReportFilters } from '../filters.ts';

export interface ExportFormProps {
  view: ViewContext;
  scope: ScopeLabel;
  filters: ReportFilters;
  values?: { format?: string; restricted?: boolean; reason?: string };
  errors?: FieldErrors | undefined;
}

export function ExportFormPage({ view, scope, filters, values = {}, errors }: ExportFormProps) {
  const { t } = view;
  const pairs = filtersToQuery(filters);
  const back = scope.groupId ? `/groups/${scope.groupId}/reports` : `/countries/${scope.country}/reports`;
  return (
    <section class="narrow">
      <h1>{t('mapExports.form.title')}</h1>
      <p>{scope.groupId ? t('mapExports.form.introGroup', { name: scope.name }) : t('mapExports.form.introCountry', { country: scope.country })}</p>
      <ErrorSummary view={view} errors={errors} />
      <h2>{t('mapExports.form.filters')}</h2>
      {pairs.length === 0 ? (
        <p>{t('mapExports.form.noFilters')}</p>
      ) : (
        <ul>
          {pairs.map(([name, value]) => (
            <li key={`${name}=${value}`}>
              {t(`mapExports.filterNames.${name}`)}: <code>{value}</code>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action="/exports" class="export-form">
        <CsrfField view={view} />
        {scope.groupId ? <input type="hidden" name="groupId" value={scope.groupId} /> : <input type="hidden" name="country" value={scope.country} />}
        {pairs.map(([name, value]) => (
          <input key={`${name}=${value}`} type="hidden" name={name} value={value} />
        ))}
        <SelectField view={view} name="format" label={t('mapExports.form.format')} value={values.format ?? 'csv'} errors={errors} options={FORMATS.map((f) => ({ value: f, label: t(`mapExports.formats.${f}`) }))} />
        <fieldset>
          <legend>{t('mapExports.form.restrictedLegend')}</legend>
          <div class="checkbox">
            <input type="checkbox" id="field-restricted" name="restricted" value="true" checked={values.restricted === true} aria-describedby="field-restricted-hint" />
            <label for="field-restricted">{t('mapExports.form.restricted')}</label>
          </div>
          <p id="field-restricted-hint" class="hint">
            {t('mapExports.form.restrictedHint')}
          </p>
          <TextAreaField view={view} name="reason" label={t('mapExports.form.reason')} hint={t('mapExports.form.reasonHint')} value={values.reason} errors={errors} maxLength={500} />
        </fieldset>
        <p>
          <button type="submit" class="button">
            {t('mapExports.form.submit')}
          </button>{' '}
          <a href={back}>{t('mapExports.form.back')}</a> · <a href="/exports">{t('mapExports.form.yourExports')}</a>
        </p>
      </form>
    </section>
  );
}
