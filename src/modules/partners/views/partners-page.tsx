/** /partners: the national coordinator's console — partner organisations of their country, creating, verifying and adding partner users. */
import { countryList, countryName } from '../../../core/countries.ts';
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { PartnerView } from '../service.ts';
import { PARTNER_KINDS } from '../tables.ts';
import { SelectField } from '../../../core/views/form-controls.tsx';

export interface PartnersPageProps {
  view: ViewContext;
  partners: PartnerView[];
  canCreate: boolean;
  /** Countries offered in the create form (a national coordinator's own, or every country for admins). */
  countries: string[] | 'all';
  notice?: string | undefined;
  createErrors?: FieldErrors | undefined;
  values?: Record<string, string | undefined> | undefined;
  /** Errors of one partner's add-user form. */
  userErrors?: { partnerId: string; errors: FieldErrors; email: string | undefined } | undefined;
}

function AddUserForm({ view, partner, userErrors }: { view: ViewContext; partner: PartnerView; userErrors: PartnersPageProps['userErrors'] }) {
  const { t } = view;
  const id = `field-email-${partner.id}`;
  const mine = userErrors?.partnerId === partner.id ? userErrors : undefined;
  const error = mine?.errors.email;
  return (
    <form method="post" action={`/partners/${partner.id}/users`} class={error ? 'field field-error' : 'field'} novalidate>
      <CsrfField view={view} />
      <label for={id}>{t('partners.console.addUserLabel', { name: partner.name })}</label>
      {error && (
        <p class="error" id={`${id}-error`}>
          {t(error)}
        </p>
      )}
      <input id={id} name="email" type="email" autocomplete="off" value={mine?.email} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      <SubmitButton>{t('partners.console.addUser')}</SubmitButton>
    </form>
  );
}

export function PartnersPage(props: PartnersPageProps) {
  const { view, partners } = props;
  const { t } = view;
  const countries = props.countries === 'all' ? countryList(view.lang) : props.countries.map((code) => ({ code, name: countryName(code, view.lang) }));
  const values = props.values ?? {};
  return (
    <section>
      <h1>{t('partners.console.title')}</h1>
      <p>{t('partners.console.intro')}</p>
      {props.notice && (
        <p class="notice" role="status">
          {t(props.notice)}
        </p>
      )}
      {props.userErrors && <ErrorSummary view={view} errors={{ [`email-${props.userErrors.partnerId}`]: props.userErrors.errors.email ?? 'errors.invalid' }} />}

      <h2>{t('partners.console.listTitle')}</h2>
      {partners.length === 0 ? (
        <p>{t('partners.console.none')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('partners.console.listTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('partners.fields.name')}</th>
              <th scope="col">{t('partners.fields.kind')}</th>
              <th scope="col">{t('partners.fields.area')}</th>
              <th scope="col">{t('partners.fields.contactEmail')}</th>
              <th scope="col">{t('partners.console.status')}</th>
              <th scope="col">{t('partners.console.partnerUsers')}</th>
            </tr>
          </thead>
          <tbody>
            {partners.map((partner) => (
              <tr key={partner.id}>
                <td>{partner.name}</td>
                <td>{t(`partners.kinds.${partner.kind}`)}</td>
                <td>
                  {partner.area}, {countryName(partner.country, view.lang)}
                </td>
                <td>{partner.contactEmail}</td>
                <td>
                  {partner.verified ? (
                    t('partners.console.verified')
                  ) : (
                    <>
                      {t('partners.console.unverified')}{' '}
                      {partner.canVerify && (
                        <form method="post" action={`/partners/${partner.id}/verification`} class="inline-form">
                          <CsrfField view={view} />
                          <button type="submit" class="link-button" aria-label={t('partners.console.verifyNamed', { name: partner.name })}>
                            {t('partners.console.verify')}
                          </button>
                        </form>
                      )}
                    </>
                  )}
                </td>
                <td>
                  {partner.partnerUsers}
                  {partner.canAddUsers && <AddUserForm view={view} partner={partner} userErrors={props.userErrors} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {props.canCreate && (
        <>
          <h2>{t('partners.console.createTitle')}</h2>
          <form method="post" action="/partners" novalidate>
            <CsrfField view={view} />
            <ErrorSummary view={view} errors={props.createErrors} />
            <SelectField view={view} blank={view.t('partners.form.choose')} name="kind" label={t('partners.fields.kind')} errors={props.createErrors} value={values.kind} required options={PARTNER_KINDS.map((kind) => ({ value: kind, label: t(`partners.kinds.${kind}`) }))} />
            <Field view={view} name="name" label={t('partners.fields.name')} value={values.name} errors={props.createErrors} required maxLength={200} />
            <SelectField
              view={view}
              name="country"
              label={t('partners.fields.country')}
              errors={props.createErrors}
              value={values.country ?? (countries.length === 1 ? countries[0]!.code : undefined)}
              required
              options={countries.map((country) => ({ value: country.code, label: country.name }))}
            />
            <Field view={view} name="area" label={t('partners.fields.area')} hint={t('partners.fields.areaHint')} value={values.area} errors={props.createErrors} required maxLength={200} />
            <Field view={view} name="latitude" label={t('partners.fields.latitude')} hint={t('partners.fields.pointHint')} value={values.latitude} errors={props.createErrors} inputmode="text" />
            <Field view={view} name="longitude" label={t('partners.fields.longitude')} value={values.longitude} errors={props.createErrors} inputmode="text" />
            <Field view={view} name="radiusKm" label={t('partners.fields.radiusKm')} value={values.radiusKm} errors={props.createErrors} inputmode="text" />
            <Field view={view} name="contactEmail" type="email" label={t('partners.fields.contactEmail')} value={values.contactEmail} errors={props.createErrors} required autocomplete="off" />
            <SubmitButton>{t('partners.console.create')}</SubmitButton>
          </form>
        </>
      )}
    </section>
  );
}
