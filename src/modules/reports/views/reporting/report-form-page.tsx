/**
 * The report form. Built from the indicator taxonomy in the reader's language; works in full without
 * JavaScript (the map picker and the draft saving are islands on top). Field names are a contract
 * with the report-form island: keep them as they are.
 */
import { countryList } from '../../../../core/countries.ts';
import type { FieldErrors } from '../../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field } from '../../../../core/views/form.tsx';
import { CheckboxesField, DateField, SelectField, TextAreaField } from '../../../../core/views/form-controls.tsx';
import { LeaveNoTraceControl, ReportDraftIsland } from '../../../../core/views/device-islands.tsx';
import { MapPickerIsland } from '../../../../core/views/island.tsx';
import type { ViewContext } from '../../../../core/views/view-context.ts';
import type { LocalisedTaxonomy } from '../../../indicators/index.ts';
import type { ReportFormValues } from '../../form-input.ts';
import { OBSERVED_TIMES } from '../../tables.ts';
import { CountrySelects, DescribedCheckboxes, ErrorText, Group, IdentifierRows, NameRows } from './form-parts.tsx';
import { QuickExit, SafetyGuidance, type EmergencyContact } from './safety.tsx';

export interface ReportFormProps {
  view: ViewContext;
  taxonomy: LocalisedTaxonomy;
  values: ReportFormValues;
  errors?: FieldErrors | undefined;
  /** How many identifier rows to draw (more after "add more rows"). */
  identifierRows: number;
  /** How many name rows to draw. */
  nameRows: number;
  /** How many empty country selects to add to each leg of the route. */
  routeRows: number;
  quickExitUrl: string;
  emergency: EmergencyContact;
}

export function ReportFormPage({ view, taxonomy, values, errors, identifierRows, nameRows, routeRows, quickExitUrl, emergency }: ReportFormProps) {
  const { t } = view;
  const countries = countryList(view.lang);
  const countryOptions = countries.map((c) => ({ value: c.code, label: c.name }));
  return (
    <>
      <QuickExit view={view} url={quickExitUrl} />
      <h1>{t('reports.form.title')}</h1>
      <p class="lead">{t('reports.form.intro')}</p>
      <SafetyGuidance view={view} cautions={taxonomy.cautions} emergency={emergency} />
      <p>{t('reports.form.anonymous')}</p>
      <p>
        <a href="/report/follow-up">{t('reports.form.followUpLink')}</a>
      </p>
      <ErrorSummary view={view} errors={errors} />
      {/* autocomplete off: a browser must not keep what was typed here where someone else could find it. */}
      <form id="report-form" data-report-form="" method="post" action="/report" novalidate autocomplete="off">
        <CsrfField view={view} />
        <ErrorText view={view} id="field-form" error={errors?.form} />

        <h2>{t('reports.form.whereTitle')}</h2>
        <SelectField view={view} name="country" label={t('reports.form.country')} hint={t('reports.form.countryHint')} value={values.country} errors={errors} required blank={t('reports.form.countryBlank')} options={countryOptions} />
        <fieldset data-map-picker="" id="field-location" class={errors?.location ? 'field field-error' : 'field'} aria-describedby={['field-location-hint', errors?.location ? 'field-location-error' : ''].filter(Boolean).join(' ')}>
          <legend>{t('reports.form.point')}</legend>
          <p class="hint" id="field-location-hint">
            {t('reports.form.pointHint')}
          </p>
          <ErrorText view={view} id="field-location-error" error={errors?.location} />
          <Field view={view} name="lat" label={t('reports.form.lat')} value={values.lat} inputmode="text" maxLength={32} autocomplete="off" data={{ 'data-map-lat': '' }} />
          <Field view={view} name="lon" label={t('reports.form.lon')} value={values.lon} inputmode="text" maxLength={32} autocomplete="off" data={{ 'data-map-lon': '' }} />
        </fieldset>
        <Field view={view} name="place" label={t('reports.form.place')} hint={t('reports.form.placeHint')} value={values.place} errors={errors} maxLength={500} autocomplete="off" />
        <SelectField view={view} name="placeType" label={t('reports.form.placeType')} value={values.placeType} errors={errors} blank={t('reports.form.notGiven')} options={taxonomy.placeTypes.map((p) => ({ value: p.id, label: p.label }))} />

        <h2>{t('reports.form.whenTitle')}</h2>
        <DateField view={view} name="observedFrom" label={t('reports.form.observedFrom')} hint={t('reports.form.observedFromHint')} value={values.observedFrom} errors={errors} />
        <DateField view={view} name="observedTo" label={t('reports.form.observedTo')} hint={t('reports.form.observedToHint')} value={values.observedTo} errors={errors} />
        <SelectField view={view} name="observedTime" label={t('reports.form.observedTime')} value={values.observedTime} errors={errors} blank={t('reports.form.notGiven')} options={OBSERVED_TIMES.map((time) => ({ value: time, label: t(`reports.form.times.${time}`) }))} />

        <h2>{t('reports.form.whatTitle')}</h2>
        <Group view={view} name="exploitationTypes" legend={t('reports.form.exploitationTypes')} hint={t('reports.form.exploitationTypesHint')} errors={errors}>
          <DescribedCheckboxes name="exploitationTypes" idPrefix="exploitation" options={taxonomy.exploitationTypes} values={values.exploitationTypes} />
        </Group>
        <Group view={view} name="indicators" legend={t('reports.form.indicators')} hint={t('reports.form.indicatorsHint')} errors={errors}>
          {taxonomy.categories.map((category) => (
            <fieldset key={category.id} class="field">
              <legend>{category.label}</legend>
              <DescribedCheckboxes name="indicators" idPrefix="indicator" options={category.indicators.map((i) => ({ id: i.id, label: i.label, description: i.hint }))} values={values.indicators} />
            </fieldset>
          ))}
        </Group>

        <h2>{t('reports.form.peopleTitle')}</h2>
        <p class="hint">{t('reports.form.peopleHint')}</p>
        <Field view={view} name="peopleCount" label={t('reports.form.peopleCount')} value={values.peopleCount} errors={errors} inputmode="numeric" maxLength={6} autocomplete="off" />
        <CheckboxesField view={view} name="ageBands" label={t('reports.form.ageBands')} errors={errors} options={taxonomy.ageBands.map((a) => ({ value: a.id, label: a.label }))} values={values.ageBands} />
        <CheckboxesField view={view} name="genders" label={t('reports.form.genders')} errors={errors} options={taxonomy.genders.map((g) => ({ value: g.id, label: g.label }))} values={values.genders} />

        <h2>{t('reports.form.detailsTitle')}</h2>
        <TextAreaField view={view} name="vehicles" label={t('reports.form.vehicles')} hint={t('reports.form.vehiclesHint')} value={values.vehicles} errors={errors} />
        <IdentifierRows view={view} rows={values.identifiers} count={identifierRows} errors={errors} />
        <NameRows view={view} names={values.names} count={nameRows} errors={errors} />

        <h2>{t('reports.form.routeTitle')}</h2>
        <p class="hint">{t('reports.form.routeHint')}</p>
        <CountrySelects view={view} name="routeOrigin" legend={t('reports.form.routeOrigin')} values={values.routeOrigin} count={values.routeOrigin.length + routeRows} errors={errors} countries={countries} />
        <CountrySelects view={view} name="routeTransit" legend={t('reports.form.routeTransit')} values={values.routeTransit} count={values.routeTransit.length + routeRows} errors={errors} countries={countries} />
        <CountrySelects view={view} name="routeDestination" legend={t('reports.form.routeDestination')} values={values.routeDestination} count={values.routeDestination.length + routeRows} errors={errors} countries={countries} />

        <h2>{t('reports.form.accountTitle')}</h2>
        <TextAreaField view={view} name="account" label={t('reports.form.account')} hint={t('reports.form.accountHint')} value={values.account} errors={errors} />

        <h2>{t('reports.form.contactTitle')}</h2>
        <p class="hint">{t('reports.form.contactIntro')}</p>
        <Field view={view} name="contact" label={t('reports.form.contact')} hint={t('reports.form.contactHint')} value={values.contact} errors={errors} maxLength={500} autocomplete="off" />
        <div id="field-contactConsent" class={errors?.contactConsent ? 'field field-error' : 'field'}>
          <ErrorText view={view} id="field-contactConsent-error" error={errors?.contactConsent} />
          <div class="checkbox">
            <input type="checkbox" id="field-contactConsent-yes" name="contactConsent" value="yes" checked={values.contactConsent} aria-describedby={errors?.contactConsent ? 'field-contactConsent-error' : undefined} />
            <label for="field-contactConsent-yes">{t('reports.form.contactConsent')}</label>
          </div>
        </div>

        <p class="actions">
          <button type="submit" class="button">
            {t('reports.form.submit')}
          </button>
        </p>
        <p class="hint">{t('reports.form.submitHint')}</p>
      </form>
      <LeaveNoTraceControl view={view} neutralUrl={quickExitUrl} />
      <MapPickerIsland view={view} />
      <ReportDraftIsland view={view} />
    </>
  );
}
