/** The chocolate action e-mail: the form, the page that asks to confirm, what happened, and the reply question. */
import { countryName } from '../../../core/countries.ts';
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import { CheckboxesField, TextAreaField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { ActionForm, ActionTotals, Confirmed, PendingAction } from '../action.ts';
import { daysUntil } from '../scorecard.ts';
import { CampaignLinks, Countdown } from './parts.tsx';

export interface ActionValues {
  companies: string[];
  subject?: string | undefined;
  message?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
}

export function TotalsTable({ view, totals }: { view: ViewContext; totals: ActionTotals }) {
  const { t } = view;
  if (totals.companies.length === 0) return <p class="hint empty-state">{t('chocolate.totals.none')}</p>;
  return (
    <table>
      <caption>{t('chocolate.totals.caption', { campaign: totals.campaign.title, count: totals.sent })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('chocolate.fields.company')}</th>
          <th scope="col">{t('chocolate.totals.sent')}</th>
          <th scope="col">{t('chocolate.totals.repliedYes')}</th>
          <th scope="col">{t('chocolate.totals.repliedNo')}</th>
        </tr>
      </thead>
      <tbody>
        {totals.companies.map((c) => (
          <tr key={c.slug}>
            <th scope="row">
              <a href={`/chocolate/companies/${c.slug}`}>{c.name}</a>
            </th>
            <td>{c.sent.toLocaleString(view.lang)}</td>
            <td>{c.replies.yes.toLocaleString(view.lang)}</td>
            <td>{c.replies.no.toLocaleString(view.lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ActionPage({ view, form, totals, values, errors }: { view: ViewContext; form: ActionForm; totals: ActionTotals | undefined; values: ActionValues; errors?: FieldErrors | undefined }) {
  const { t } = view;
  const { campaign } = form;
  return (
    <section>
      <h1>{t('chocolate.action.title')}</h1>
      <Countdown view={view} campaign={{ title: campaign.title, deadline: campaign.deadline, daysLeft: daysUntil(campaign.deadline) }} />
      <p>{t('chocolate.action.intro')}</p>
      <CampaignLinks view={view} />
      <ErrorSummary view={view} errors={errors} />
      {form.companies.length === 0 ? (
        <p class="hint empty-state">{t('chocolate.action.noCompanies')}</p>
      ) : (
        <form method="post" action="/chocolate/action" novalidate class="narrow">
          <CsrfField view={view} />
          <CheckboxesField
            view={view}
            name="companies"
            label={t('chocolate.action.companies')}
            hint={t('chocolate.action.companiesHint')}
            errors={errors}
            values={values.companies}
            options={form.companies.map((c) => ({ value: c.slug, label: `${c.name} (${countryName(c.country, view.lang)})${c.suggested ? ` — ${t('chocolate.action.suggested')}` : ''}` }))}
          />
          <Field view={view} name="subject" label={t('chocolate.action.subject')} value={values.subject ?? campaign.suggested_subject} errors={errors} required maxLength={200} />
          <TextAreaField view={view} name="message" label={t('chocolate.action.message')} hint={t('chocolate.action.messageHint')} value={values.message ?? campaign.suggested_message} errors={errors} required maxLength={5000} />
          <Field view={view} name="name" label={t('chocolate.action.name')} value={values.name} errors={errors} required maxLength={100} autocomplete="name" />
          <Field view={view} name="email" type="email" label={t('chocolate.action.email')} hint={t('chocolate.action.emailHint')} value={values.email} errors={errors} required maxLength={254} autocomplete="email" inputmode="email" />
          <SubmitButton>{t('chocolate.action.submit')}</SubmitButton>
        </form>
      )}
      <h2>{t('chocolate.totals.title')}</h2>
      {totals && <TotalsTable view={view} totals={totals} />}
    </section>
  );
}

export function ConfirmPage({ view, token, pending }: { view: ViewContext; token: string; pending: PendingAction }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('chocolate.confirm.title')}</h1>
      <p>{t('chocolate.confirm.intro')}</p>
      <h2>{t('chocolate.confirm.to')}</h2>
      <ul>
        {pending.companies.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <h2>{t('chocolate.confirm.yourMessage')}</h2>
      <blockquote class="message-preview">
        <p>
          <strong>{pending.subject}</strong>
        </p>
        {pending.message.split(/\n{2,}/).map((para, i) => (
          <p key={i}>{para}</p>
        ))}
      </blockquote>
      <form method="post" action={`/chocolate/action/confirm/${token}`}>
        <CsrfField view={view} />
        <SubmitButton>{t('chocolate.confirm.submit')}</SubmitButton>
      </form>
    </section>
  );
}

export function ConfirmedPage({ view, result }: { view: ViewContext; result: Confirmed }) {
  const { t } = view;
  const list = (names: string[]) => (
    <ul>
      {names.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
  return (
    <section class="narrow">
      <h1>{t('chocolate.confirmed.title')}</h1>
      {result.queued.length > 0 && (
        <>
          <p>{t('chocolate.confirmed.queued')}</p>
          {list(result.queued)}
        </>
      )}
      {result.held.length > 0 && (
        <>
          <p>{t('chocolate.confirmed.held')}</p>
          {list(result.held)}
        </>
      )}
      {result.alreadySent.length > 0 && (
        <>
          <p>{t('chocolate.confirmed.alreadySent')}</p>
          {list(result.alreadySent)}
        </>
      )}
      <p>
        <a href="/chocolate/guide">{t('chocolate.confirmed.next')}</a>
      </p>
    </section>
  );
}

export function ReplyPage({ view, token, companyName, errors }: { view: ViewContext; token: string; companyName: string; errors?: FieldErrors | undefined }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('chocolate.reply.title', { company: companyName })}</h1>
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action={`/chocolate/replies/${token}`}>
        <CsrfField view={view} />
        <fieldset id="field-reply" class={errors?.reply ? 'field field-error' : 'field'}>
          <legend>{t('chocolate.reply.question', { company: companyName })}</legend>
          <div class="radio">
            <input type="radio" id="reply-yes" name="reply" value="yes" />
            <label for="reply-yes">{t('chocolate.reply.yes')}</label>
          </div>
          <div class="radio">
            <input type="radio" id="reply-no" name="reply" value="no" />
            <label for="reply-no">{t('chocolate.reply.no')}</label>
          </div>
        </fieldset>
        <SubmitButton>{t('chocolate.reply.submit')}</SubmitButton>
      </form>
    </section>
  );
}
