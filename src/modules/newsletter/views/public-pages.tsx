/** Pages for subscribers: sign-up, confirmation, the preference centre and unsubscribing. No account needed. */
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import { CheckboxesField, SelectField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { Preferences } from '../subscription.ts';
import { NAME_MAX } from '../subscription.ts';

const listOptions = (view: ViewContext, lists: readonly string[]) =>
  lists.map((list) => ({ value: list, label: `${view.t(`newsletter.lists.${list}.name`)} — ${view.t(`newsletter.lists.${list}.description`)}` }));

const languageOptions = (view: ViewContext) => [
  { value: 'en', label: view.t('languages.en') },
  { value: 'fr', label: view.t('languages.fr') },
];

export function SignUpPage({ view, lists, values, errors }: { view: ViewContext; lists: string[]; values?: Record<string, string | string[] | undefined>; errors?: FieldErrors }) {
  const chosen = values ? ([] as string[]).concat(values.lists ?? []) : ['general'];
  return (
    <section class="narrow">
      <h1>{view.t('newsletter.signUp.title')}</h1>
      <p>{view.t('newsletter.signUp.intro')}</p>
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action="/newsletter" novalidate>
        <CsrfField view={view} />
        <Field view={view} name="email" type="email" label={view.t('newsletter.fields.email')} autocomplete="email" required value={typeof values?.email === 'string' ? values.email : undefined} errors={errors} />
        <Field view={view} name="name" label={view.t('newsletter.fields.name')} hint={view.t('newsletter.fields.nameHint')} autocomplete="name" maxLength={NAME_MAX} value={typeof values?.name === 'string' ? values.name : undefined} errors={errors} />
        <CheckboxesField view={view} name="lists" label={view.t('newsletter.fields.lists')} options={listOptions(view, lists)} values={chosen} errors={errors} />
        <SelectField view={view} name="language" label={view.t('newsletter.fields.language')} options={languageOptions(view)} value={typeof values?.language === 'string' ? values.language : view.lang} errors={errors} />
        <p class="hint">{view.t('newsletter.signUp.privacy')}</p>
        <SubmitButton>{view.t('newsletter.signUp.submit')}</SubmitButton>
      </form>
      <p>
        <a href="/newsletter/manage">{view.t('newsletter.manage.link')}</a>
      </p>
    </section>
  );
}

export function ConfirmPage({ view, token }: { view: ViewContext; token: string }) {
  return (
    <section class="narrow">
      <h1>{view.t('newsletter.confirm.title')}</h1>
      <p>{view.t('newsletter.confirm.intro')}</p>
      <form method="post" action="/newsletter/confirm">
        <CsrfField view={view} />
        <input type="hidden" name="token" value={token} />
        <SubmitButton>{view.t('newsletter.confirm.submit')}</SubmitButton>
      </form>
    </section>
  );
}

export function PreferencesPage({ view, token, preferences, notice, errors }: { view: ViewContext; token: string; preferences: Preferences; notice?: string | undefined; errors?: FieldErrors }) {
  const base = `/newsletter/preferences/${token}`;
  return (
    <section class="narrow">
      <h1>{view.t('newsletter.preferences.title')}</h1>
      {notice && (
        <p class="notice" role="status">
          {view.t(notice)}
        </p>
      )}
      <p>{view.t('newsletter.preferences.for', { email: preferences.email })}</p>
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action={base} novalidate>
        <CsrfField view={view} />
        <Field view={view} name="name" label={view.t('newsletter.fields.name')} maxLength={NAME_MAX} value={preferences.name ?? ''} errors={errors} />
        <CheckboxesField view={view} name="lists" label={view.t('newsletter.fields.lists')} hint={view.t('newsletter.preferences.listsHint')} options={listOptions(view, preferences.allLists)} values={preferences.lists} errors={errors} />
        <SelectField view={view} name="language" label={view.t('newsletter.fields.language')} options={languageOptions(view)} value={preferences.language} errors={errors} />
        <SubmitButton>{view.t('newsletter.preferences.save')}</SubmitButton>
      </form>

      <h2>{view.t('newsletter.preferences.yourData')}</h2>
      <form method="post" action={`${base}/export`}>
        <CsrfField view={view} />
        <button type="submit" class="button secondary">
          {view.t('newsletter.preferences.export')}
        </button>
      </form>
      <form method="post" action={`${base}/revoke`}>
        <CsrfField view={view} />
        <p class="hint">{view.t('newsletter.preferences.revokeHint')}</p>
        <button type="submit" class="button secondary">
          {view.t('newsletter.preferences.revoke')}
        </button>
      </form>
      <form method="post" action={`${base}/erase`}>
        <CsrfField view={view} />
        <div class={errors?.confirm ? 'field field-error' : 'field'}>
          {errors?.confirm && (
            <p class="error" id="field-confirm-error">
              {view.t(errors.confirm)}
            </p>
          )}
          <input type="checkbox" id="field-confirm" name="confirm" value="yes" aria-describedby={errors?.confirm ? 'field-confirm-error' : undefined} />
          <label for="field-confirm">{view.t('newsletter.preferences.eraseConfirm')}</label>
        </div>
        <button type="submit" class="button danger">
          {view.t('newsletter.preferences.erase')}
        </button>
      </form>
    </section>
  );
}

/** What a browser sees at an unsubscribe link: a button, since mail scanners open links on their own. */
export function UnsubscribePage({ view, token, subscribed }: { view: ViewContext; token: string; subscribed: boolean }) {
  return (
    <section class="narrow">
      <h1>{view.t('newsletter.unsubscribe.title')}</h1>
      {subscribed ? (
        <>
          <p>{view.t('newsletter.unsubscribe.intro')}</p>
          <form method="post" action={`/newsletter/unsubscribe/${token}`}>
            <input type="hidden" name="List-Unsubscribe" value="One-Click" />
            <SubmitButton>{view.t('newsletter.unsubscribe.submit')}</SubmitButton>
          </form>
        </>
      ) : (
        <p>{view.t('newsletter.unsubscribe.already')}</p>
      )}
    </section>
  );
}

export function ManagePage({ view, value, errors, sent }: { view: ViewContext; value?: string | undefined; errors?: FieldErrors; sent?: boolean }) {
  return (
    <section class="narrow">
      <h1>{view.t('newsletter.manage.title')}</h1>
      {sent ? (
        <p role="status">{view.t('newsletter.manage.sent')}</p>
      ) : (
        <>
          <p>{view.t('newsletter.manage.intro')}</p>
          <ErrorSummary view={view} errors={errors} />
          <form method="post" action="/newsletter/manage" novalidate>
            <CsrfField view={view} />
            <Field view={view} name="email" type="email" label={view.t('newsletter.fields.email')} autocomplete="email" required value={value} errors={errors} />
            <SubmitButton>{view.t('newsletter.manage.submit')}</SubmitButton>
          </form>
        </>
      )}
    </section>
  );
}
