/** The donate page (the form, or how to give when donations are not taken online) and what follows it. */
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import { SelectField, TextAreaField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import { CURRENCY_CODES, displayAmount } from '../currencies.ts';
import { CURRENT_STATEMENT } from '../gift-aid.ts';
import type { DonationSummary } from '../service.ts';

export type Values = Record<string, string | undefined>;

/** The donor's details and the statement to confirm: on the donate form, and on the thank-you page. */
function GiftAidFields({ view, errors, values }: { view: ViewContext; errors?: FieldErrors | undefined; values: Values }) {
  const { t } = view;
  const statement = CURRENT_STATEMENT.text[view.lang];
  return (
    <>
      <Field view={view} name="title" label={t('donations.fields.title')} value={values.title} errors={errors} maxLength={20} autocomplete="honorific-prefix" />
      <Field view={view} name="firstName" label={t('donations.fields.firstName')} value={values.firstName} errors={errors} maxLength={100} autocomplete="given-name" />
      <Field view={view} name="lastName" label={t('donations.fields.lastName')} value={values.lastName} errors={errors} maxLength={100} autocomplete="family-name" />
      <TextAreaField view={view} name="address" label={t('donations.fields.address')} hint={t('donations.fields.addressHint')} value={values.address} errors={errors} maxLength={500} />
      <Field view={view} name="postcode" label={t('donations.fields.postcode')} value={values.postcode} errors={errors} maxLength={10} autocomplete="postal-code" />
      {/* Radios, not a select: their long labels wrap on a phone, where a select grows wider than the screen. */}
      <fieldset class={errors?.scope ? 'field field-error' : 'field'}>
        <legend>{t('donations.fields.scope')}</legend>
        {errors?.scope && (
          <p class="error" id="field-scope-error">
            {t(errors.scope)}
          </p>
        )}
        {(['all', 'this-donation'] as const).map((scope) => (
          <div class="radio" key={scope}>
            <input type="radio" id={`field-scope-${scope}`} name="scope" value={scope} checked={(values.scope ?? 'all') === scope} />
            <label for={`field-scope-${scope}`}>{t(`donations.scopes.${scope}`)}</label>
          </div>
        ))}
      </fieldset>
      <div class={errors?.statement ? 'field field-error' : 'field'}>
        <p id="gift-aid-statement" class="statement">
          {statement}
        </p>
        {errors?.statement && (
          <p class="error" id="field-statement-error">
            {t(errors.statement)}
          </p>
        )}
        <div class="checkbox">
          <input type="checkbox" id="field-statement" name="statementVersion" value={CURRENT_STATEMENT.version} aria-describedby="gift-aid-statement" checked={values.statementVersion === CURRENT_STATEMENT.version} />
          <label for="field-statement">{t('donations.giftAid.confirm')}</label>
        </div>
      </div>
    </>
  );
}

export function HowToGivePage({ view }: { view: ViewContext }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('donations.donate.title')}</h1>
      <p>{t('donations.offline.intro')}</p>
      <h2>{t('donations.offline.waysTitle')}</h2>
      <ul>
        <li>{t('donations.offline.bank')}</li>
        <li>{t('donations.offline.post')}</li>
        <li>{t('donations.offline.fundraise')}</li>
      </ul>
      <p>{t('donations.offline.giftAid')}</p>
    </section>
  );
}

export function DonatePage({ view, errors, values = {}, cancelled, testMode }: { view: ViewContext; errors?: FieldErrors | undefined; values?: Values; cancelled?: boolean; testMode: boolean }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('donations.donate.title')}</h1>
      <p>{t('donations.donate.intro')}</p>
      {testMode && <p class="notice">{t('donations.donate.testMode')}</p>}
      {cancelled && (
        <p class="notice" role="status">
          {t('donations.donate.cancelled')}
        </p>
      )}
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action="/donate" novalidate>
        <CsrfField view={view} />
        <fieldset class="field">
          <legend>{t('donations.fields.frequency')}</legend>
          {(['one-off', 'monthly'] as const).map((f) => (
            <div class="radio" key={f}>
              <input type="radio" id={`field-frequency-${f}`} name="frequency" value={f} checked={(values.frequency ?? 'one-off') === f} />
              <label for={`field-frequency-${f}`}>{t(`donations.frequencies.${f}`)}</label>
            </div>
          ))}
        </fieldset>
        <Field view={view} name="amount" label={t('donations.fields.amount')} hint={t('donations.fields.amountHint')} value={values.amount} errors={errors} required inputmode="text" maxLength={20} />
        <SelectField view={view} name="currency" label={t('donations.fields.currency')} value={values.currency ?? 'GBP'} errors={errors} options={CURRENCY_CODES.map((code) => ({ value: code, label: `${code} — ${t(`donations.currencies.${code}`)}` }))} />
        <fieldset class="field">
          <legend>{t('donations.giftAid.title')}</legend>
          <p class="hint">{t('donations.giftAid.intro')}</p>
          {errors?.giftAid && <p class="error" id="field-giftAid">{t(errors.giftAid)}</p>}
          <div class="checkbox">
            <input type="checkbox" id="field-giftAidWanted" name="giftAid" value="yes" checked={values.giftAid === 'yes'} />
            <label for="field-giftAidWanted">{t('donations.giftAid.wanted')}</label>
          </div>
          <GiftAidFields view={view} errors={errors} values={values} />
        </fieldset>
        <SubmitButton>{t('donations.donate.submit')}</SubmitButton>
      </form>
    </section>
  );
}

function amountLine(view: ViewContext, donation: DonationSummary): string {
  const amount = displayAmount(donation.amountMinor, donation.currency, view.lang);
  return view.t(donation.frequency === 'monthly' ? 'donations.checkout.monthly' : 'donations.checkout.oneOff', { amount });
}

export function CheckoutPage({ view, donation }: { view: ViewContext; donation: DonationSummary }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('donations.checkout.title')}</h1>
      <p>{amountLine(view, donation)}</p>
      {donation.testMode && <p class="notice">{t('donations.donate.testMode')}</p>}
      <p>{t('donations.checkout.explain')}</p>
      <p>
        <a class="button" href={donation.checkoutUrl} rel="noreferrer">
          {t('donations.checkout.continue')}
        </a>
      </p>
    </section>
  );
}

export function ThanksPage({ view, donation, errors, values = {}, notice }: { view: ViewContext; donation: DonationSummary; errors?: FieldErrors | undefined; values?: Values; notice?: string | undefined }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('donations.thanks.title')}</h1>
      {notice && (
        <p class="notice" role="status">
          {t(notice)}
        </p>
      )}
      <p>{amountLine(view, donation)}</p>
      <p>{t(`donations.thanks.status.${donation.status}`)}</p>
      {donation.giftAidPossible && (
        <>
          <h2>{t('donations.giftAid.title')}</h2>
          <p>{t('donations.giftAid.intro')}</p>
          <ErrorSummary view={view} errors={errors} />
          <form method="post" action={`/donate/thanks/${donation.id}/gift-aid`} novalidate>
            <CsrfField view={view} />
            <GiftAidFields view={view} errors={errors} values={values} />
            <SubmitButton>{t('donations.giftAid.add')}</SubmitButton>
          </form>
        </>
      )}
    </section>
  );
}

export function GiftAidClaimPage({ view, errors, values = {}, declarations }: { view: ViewContext; errors?: FieldErrors | undefined; values?: Values; declarations: number }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('donations.claim.title')}</h1>
      <p>{t('donations.claim.intro', { count: declarations })}</p>
      <ErrorSummary view={view} errors={errors} />
      <form method="get" action="/donations/gift-aid/claim.csv" novalidate>
        <Field view={view} name="from" label={t('donations.claim.from')} hint={t('donations.claim.dayHint')} value={values.from} errors={errors} required maxLength={10} />
        <Field view={view} name="to" label={t('donations.claim.to')} hint={t('donations.claim.dayHint')} value={values.to} errors={errors} required maxLength={10} />
        <SelectField view={view} name="format" label={t('donations.claim.format')} hint={t('donations.claim.formatHint')} value={values.format || 'hmrc'} errors={errors} options={(['hmrc', 'records'] as const).map((f) => ({ value: f, label: t(`donations.claim.formats.${f}`) }))} />
        <SubmitButton>{t('donations.claim.download')}</SubmitButton>
      </form>
      <p class="hint">{t('donations.claim.audited')}</p>
    </section>
  );
}
