/** The declaration's public pages: the list, a declaration with its signing form, the e-mail steps and the counts. */
import { countryList, countryName } from '../../../core/countries.ts';
import type { FieldErrors } from '../../../core/outcome.ts';
import { SelectField } from '../../../core/views/form-controls.tsx';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { Counts } from '../counts.ts';
import type { DeclarationView } from '../service.ts';
import { CountryMap } from './country-map.tsx';

const number = (view: ViewContext, n: number) => n.toLocaleString(view.lang);
const dateOf = (view: ViewContext, d: Date) => d.toLocaleDateString(view.lang, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

function Paragraphs({ text, lang }: { text: string; lang: string }) {
  return (
    <div lang={lang}>
      {text.split(/\n\s*\n/).map((paragraph, i) => (
        <p key={i}>{paragraph}</p>
      ))}
    </div>
  );
}

export function ListPage({ view, declarations }: { view: ViewContext; declarations: DeclarationView[] }) {
  const { t } = view;
  return (
    <section>
      <h1>{t('declaration.list.title')}</h1>
      <p>{t('declaration.list.intro')}</p>
      {declarations.length === 0 ? (
        <p>{t('declaration.list.empty')}</p>
      ) : (
        <ul>
          {declarations.map((d) => (
            <li key={d.id}>
              <a href={`/declarations/${d.slug}`} lang={d.language}>
                {d.title}
              </a>{' '}
              — {d.open ? t('declaration.open') : t('declaration.closed')}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export interface SignFormValues {
  name?: string | undefined;
  email?: string | undefined;
  country?: string | undefined;
  postcode?: string | undefined;
  optIn?: string | undefined;
}

export function DeclarationPage({ view, declaration, total, errors, values }: { view: ViewContext; declaration: DeclarationView; total: number; errors?: FieldErrors | undefined; values?: SignFormValues | undefined }) {
  const { t } = view;
  return (
    <article>
      <h1 lang={declaration.language}>{declaration.title}</h1>
      <p class="lead" lang={declaration.language}>
        {declaration.summary}
      </p>
      <p>
        <strong>{t('declaration.total', { count: total, formatted: number(view, total) })}</strong> · <a href={`/declarations/${declaration.slug}/counts`}>{t('declaration.counts.link')}</a>
      </p>
      <Paragraphs text={declaration.body} lang={declaration.language} />
      {declaration.closesAt && <p>{t(declaration.open ? 'declaration.closesOn' : 'declaration.closedOn', { date: dateOf(view, declaration.closesAt) })}</p>}
      {declaration.open ? <SignForm view={view} slug={declaration.slug} errors={errors} values={values} /> : <p class="notice">{t('declaration.errors.closed')}</p>}
    </article>
  );
}

function SignForm({ view, slug, errors, values }: { view: ViewContext; slug: string; errors?: FieldErrors | undefined; values?: SignFormValues | undefined }) {
  const { t } = view;
  return (
    <section aria-labelledby="sign-title">
      <h2 id="sign-title">{t('declaration.sign.title')}</h2>
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action={`/declarations/${slug}/signatures`} novalidate>
        <CsrfField view={view} />
        <Field view={view} name="name" label={t('declaration.sign.name')} value={values?.name} errors={errors} autocomplete="name" required maxLength={100} />
        <Field view={view} name="email" type="email" label={t('declaration.sign.email')} hint={t('declaration.sign.emailHint')} value={values?.email} errors={errors} autocomplete="email" required />
        <SelectField
          view={view}
          name="country"
          label={t('declaration.sign.country')}
          options={countryList(view.lang).map((c) => ({ value: c.code, label: c.name }))}
          value={values?.country}
          errors={errors}
          required
          blank={t('declaration.sign.chooseCountry')}
        />
        <Field view={view} name="postcode" label={t('declaration.sign.postcode')} hint={t('declaration.sign.postcodeHint')} value={values?.postcode} errors={errors} autocomplete="postal-code" maxLength={12} />
        <div class="checkbox">
          <input type="checkbox" id="field-optIn" name="optIn" value="yes" checked={values?.optIn === 'yes'} />
          <label for="field-optIn">{t('declaration.sign.optIn')}</label>
        </div>
        {/* For robots only: people never see it; a signature with anything in it is kept but never counts. */}
        <div hidden>
          <label for="field-website">{t('declaration.sign.honeypot')}</label>
          <input type="text" id="field-website" name="website" tabindex={-1} autocomplete="off" />
        </div>
        <p class="hint">{t('declaration.sign.privacy')}</p>
        <SubmitButton>{t('declaration.sign.submit')}</SubmitButton>
      </form>
    </section>
  );
}

export function ConfirmPage({ view, token }: { view: ViewContext; token: string }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('declaration.confirm.title')}</h1>
      <p>{t('declaration.confirm.intro')}</p>
      <form method="post" action={`/declarations/confirm/${token}`}>
        <CsrfField view={view} />
        <SubmitButton>{t('declaration.confirm.submit')}</SubmitButton>
      </form>
    </section>
  );
}

export function ConfirmedPage({ view, declaration, total, already }: { view: ViewContext; declaration: DeclarationView; total: number; already: boolean }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t(already ? 'declaration.confirmed.alreadyTitle' : 'declaration.confirmed.title')}</h1>
      <p>{t('declaration.confirmed.thanks', { title: declaration.title })}</p>
      <p>
        <strong>{t('declaration.total', { count: total, formatted: number(view, total) })}</strong>
      </p>
      <p>{t('declaration.confirmed.stale')}</p>
      <p>
        <a href={`/declarations/${declaration.slug}/counts`}>{t('declaration.counts.link')}</a>
      </p>
    </section>
  );
}

export function CountsPage({ view, declaration, counts }: { view: ViewContext; declaration: DeclarationView; counts: Counts }) {
  const { t } = view;
  const lang = view.lang;
  return (
    <section>
      <h1>{t('declaration.counts.title', { title: declaration.title })}</h1>
      <p>
        <strong>{t('declaration.total', { count: counts.total, formatted: number(view, counts.total) })}</strong>
      </p>
      <p class="hint">{t('declaration.counts.freshness')}</p>
      <CountryMap counts={counts.countries} lang={lang} label={t('declaration.counts.mapLabel', { title: declaration.title })} />
      <p>
        <a href={`/declarations/${declaration.slug}/counts.csv`}>{t('declaration.counts.csv')}</a> ·{' '}
        <a href={`/api/v1/declarations/${declaration.slug}/counts`}>{t('declaration.counts.json')}</a> · <a href={`/declarations/${declaration.slug}`}>{t('declaration.counts.back')}</a>
      </p>
      <table>
        <caption>{t('declaration.counts.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('declaration.counts.country')}</th>
            <th scope="col">{t('declaration.counts.signatures')}</th>
          </tr>
        </thead>
        <tbody>
          {counts.countries.length === 0 ? (
            <tr>
              <td colSpan={2}>{t('declaration.counts.none')}</td>
            </tr>
          ) : (
            counts.countries.map((c) => (
              <tr key={c.country}>
                <td>{countryName(c.country, lang)}</td>
                <td>{number(view, c.total)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}
