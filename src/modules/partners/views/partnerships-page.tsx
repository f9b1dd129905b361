/** /partnerships: the caller's partnerships; group coordinators propose, partner users accept or decline, either side ends. */
import { countryName } from '../../../core/countries.ts';
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { PartnershipView } from '../partnerships.ts';
import type { PartnerChoice } from '../service.ts';
import { HANDLING_CODES } from '../tables.ts';
import { CheckboxesField, DateField, SelectField, TextAreaField } from '../../../core/views/form-controls.tsx';

export interface PartnershipsPageProps {
  view: ViewContext;
  partnerships: PartnershipView[];
  choices: { groups: { id: string; name: string; country: string }[]; partners: Record<string, PartnerChoice[]> };
  today: string;
  /** Whether to link to the partner organisations console. */
  showPartners: boolean;
  notice?: string | undefined;
  proposalErrors?: FieldErrors | undefined;
  values?: Record<string, string | string[] | undefined> | undefined;
  endErrors?: { partnershipId: string; errors: FieldErrors } | undefined;
}

function Partnership({ view, partnership, today, endErrors }: { view: ViewContext; partnership: PartnershipView; today: string; endErrors: PartnershipsPageProps['endErrors'] }) {
  const { t } = view;
  const { agreement } = partnership;
  const endId = `field-endedOn-${partnership.id}`;
  const endError = endErrors?.partnershipId === partnership.id ? endErrors.errors.endedOn : undefined;
  return (
    <article class="partnership">
      <h3>{t('partners.partnerships.between', { group: partnership.group.name, partner: partnership.partner.name })}</h3>
      <dl class="summary">
        <dt>{t('partners.partnerships.status')}</dt>
        <dd>{t(`partners.statuses.${partnership.status}`)}</dd>
        <dt>{t('partners.fields.kind')}</dt>
        <dd>{t(`partners.kinds.${partnership.partner.kind}`)}</dd>
        <dt>{t('partners.fields.country')}</dt>
        <dd>{countryName(partnership.country, view.lang)}</dd>
        <dt>{t('partners.fields.agreementReference')}</dt>
        <dd>{agreement.reference}</dd>
        <dt>{t('partners.fields.signedOn')}</dt>
        <dd>{agreement.signedOn}</dd>
        <dt>{t('partners.fields.contacts')}</dt>
        <dd>{agreement.contacts}</dd>
        <dt>{t('partners.fields.handlingCodes')}</dt>
        <dd>{agreement.handlingCodes.map((code) => t(`partners.codes.${code}`)).join('; ')}</dd>
        {agreement.conditions && (
          <>
            <dt>{t('partners.fields.conditions')}</dt>
            <dd>{agreement.conditions}</dd>
          </>
        )}
        {partnership.endedOn && (
          <>
            <dt>{t('partners.fields.endedOn')}</dt>
            <dd>{partnership.endedOn}</dd>
          </>
        )}
      </dl>
      {partnership.canRespond && (
        <div class="actions">
          <form method="post" action={`/partnerships/${partnership.id}/acceptance`} class="inline-form">
            <CsrfField view={view} />
            <SubmitButton>{t('partners.partnerships.accept')}</SubmitButton>
          </form>
          <form method="post" action={`/partnerships/${partnership.id}/decline`} class="inline-form">
            <CsrfField view={view} />
            <button type="submit" class="link-button">
              {t('partners.partnerships.decline')}
            </button>
          </form>
        </div>
      )}
      {partnership.canEnd && (
        <form method="post" action={`/partnerships/${partnership.id}/end`} class={endError ? 'field field-error' : 'field'} novalidate>
          <CsrfField view={view} />
          <label for={endId}>{t('partners.fields.endedOn')}</label>
          {endError && (
            <p class="error" id={`${endId}-error`}>
              {t(endError)}
            </p>
          )}
          <input type="date" id={endId} name="endedOn" value={today} max={today} aria-invalid={endError ? 'true' : undefined} aria-describedby={endError ? `${endId}-error` : undefined} />
          <SubmitButton>{t('partners.partnerships.end')}</SubmitButton>
        </form>
      )}
    </article>
  );
}

export function PartnershipsPage(props: PartnershipsPageProps) {
  const { view, partnerships, choices } = props;
  const { t } = view;
  const values = props.values ?? {};
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name]) : undefined);
  const codes = ([] as string[]).concat(values.handlingCodes ?? []);
  const partnerOptions = choices.groups.length
    ? [...new Set(choices.groups.map((group) => group.country))].flatMap((country) =>
        (choices.partners[country] ?? []).map((partner) => ({ value: partner.id, label: `${partner.name} (${t(`partners.kinds.${partner.kind}`)}, ${partner.area})` })),
      )
    : [];
  return (
    <section>
      <h1>{t('partners.partnerships.title')}</h1>
      {props.showPartners && (
        <p>
          <a href="/partners">{t('partners.partnerships.partnersLink')}</a>
        </p>
      )}
      {props.notice && (
        <p class="notice" role="status">
          {t(props.notice)}
        </p>
      )}
      {props.endErrors && <ErrorSummary view={view} errors={{ [`endedOn-${props.endErrors.partnershipId}`]: props.endErrors.errors.endedOn ?? 'errors.invalid' }} />}
      {partnerships.length === 0 ? <p>{t('partners.partnerships.none')}</p> : partnerships.map((partnership) => <Partnership key={partnership.id} view={view} partnership={partnership} today={props.today} endErrors={props.endErrors} />)}

      {choices.groups.length > 0 && (
        <>
          <h2>{t('partners.partnerships.proposeTitle')}</h2>
          <p>{t('partners.partnerships.proposeIntro')}</p>
          <form method="post" action="/partnerships" novalidate>
            <CsrfField view={view} />
            <ErrorSummary view={view} errors={props.proposalErrors} />
            <SelectField view={view} blank={view.t('partners.form.choose')} name="groupId" label={t('partners.fields.group')} errors={props.proposalErrors} value={text('groupId') ?? (choices.groups.length === 1 ? choices.groups[0]!.id : undefined)} required options={choices.groups.map((group) => ({ value: group.id, label: group.name }))} />
            <SelectField view={view} blank={view.t('partners.form.choose')} name="partnerId" label={t('partners.fields.partner')} hint={partnerOptions.length ? undefined : t('partners.partnerships.noPartners')} errors={props.proposalErrors} value={text('partnerId')} required options={partnerOptions} />
            <Field view={view} name="agreementReference" label={t('partners.fields.agreementReference')} value={text('agreementReference')} errors={props.proposalErrors} required maxLength={120} />
            <DateField view={view} name="signedOn" label={t('partners.fields.signedOn')} value={text('signedOn')} max={props.today} errors={props.proposalErrors} required />
            <TextAreaField view={view} name="contacts" label={t('partners.fields.contacts')} hint={t('partners.fields.contactsHint')} value={text('contacts')} errors={props.proposalErrors} maxLength={2000} required />
            <CheckboxesField view={view} name="handlingCodes" label={t('partners.fields.handlingCodes')} errors={props.proposalErrors} values={codes} options={HANDLING_CODES.map((code) => ({ value: code, label: t(`partners.codes.${code}`) }))} />
            <TextAreaField view={view} name="conditions" label={t('partners.fields.conditions')} hint={t('partners.fields.conditionsHint')} value={text('conditions')} errors={props.proposalErrors} maxLength={4000} />
            <SubmitButton>{t('partners.partnerships.propose')}</SubmitButton>
          </form>
        </>
      )}
    </section>
  );
}
