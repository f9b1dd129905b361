/** The administrators' page for national coordinators: who answers for which country, appoint, remove. */
import { countryList, countryName } from '../../../core/countries.ts';
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import { SelectField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { NationalCoordinator } from '../national-coordinators.ts';

export interface NationalCoordinatorsPageProps {
  view: ViewContext;
  coordinators: NationalCoordinator[];
  notice?: string | undefined;
  errors?: FieldErrors | undefined;
  values?: { email?: string | undefined; country?: string | undefined };
}

export function NationalCoordinatorsPage({ view, coordinators, notice, errors, values = {} }: NationalCoordinatorsPageProps) {
  const { t } = view;
  return (
    <section>
      <p>
        <a href="/account">{t('accounts.admin.back')}</a>
      </p>
      <h1>{t('accounts.admin.coordinators.title')}</h1>
      <p>{t('accounts.admin.coordinators.intro')}</p>
      {notice && (
        <p class="notice" role="status">
          {t(notice)}
        </p>
      )}
      {coordinators.length === 0 ? (
        <p class="hint empty-state">{t('accounts.admin.coordinators.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('accounts.admin.coordinators.country')}</th>
              <th scope="col">{t('fields.displayName')}</th>
              <th scope="col">{t('fields.email')}</th>
              <th scope="col">{t('accounts.admin.coordinators.twoFactor')}</th>
              <th scope="col">{t('accounts.admin.coordinators.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {coordinators.map((c) => (
              <tr key={`${c.userId}-${c.country}`}>
                <td>{countryName(c.country, view.lang)}</td>
                <td>{c.displayName}</td>
                <td>{c.email}</td>
                <td>{t(c.twoFactorEnabled ? 'accounts.admin.coordinators.twoFactorOn' : 'accounts.admin.coordinators.twoFactorPending')}</td>
                <td>
                  <form method="post" action={`/admin/national-coordinators/${c.userId}/${c.country}/remove`} class="inline-form">
                    <CsrfField view={view} />
                    <button type="submit" class="link-button">
                      {t('accounts.admin.coordinators.remove', { name: c.displayName, country: c.country })}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t('accounts.admin.appoint.title')}</h2>
      <p class="hint">{t('accounts.admin.appoint.intro')}</p>
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action="/admin/national-coordinators" novalidate>
        <CsrfField view={view} />
        <Field view={view} name="email" type="email" label={t('fields.email')} hint={t('accounts.admin.appoint.emailHint')} value={values.email} errors={errors} required maxLength={254} />
        <SelectField
          view={view}
          name="country"
          label={t('accounts.admin.coordinators.country')}
          blank=""
          value={values.country}
          errors={errors}
          options={countryList(view.lang).map((c) => ({ value: c.code, label: c.name }))}
        />
        <SubmitButton>{t('accounts.admin.appoint.submit')}</SubmitButton>
      </form>
    </section>
  );
}
