/** Sign-up, sign-in, the code step, password reset and first-run setup pages. */
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { FieldErrors } from '../../../core/outcome.ts';

type Values = Record<string, string | undefined>;

interface FormPageProps {
  view: ViewContext;
  errors?: FieldErrors | undefined;
  values?: Values;
}

function FormError({ view, errors }: { view: ViewContext; errors: FieldErrors | undefined }) {
  return errors?.form ? (
    <p class="error form-error" role="alert" id="field-form">
      {view.t(errors.form)}
    </p>
  ) : null;
}

function fieldErrors(errors: FieldErrors | undefined): FieldErrors | undefined {
  if (!errors) return undefined;
  const { form: _form, ...rest } = errors;
  return rest;
}

export function SignUpPage({ view, errors, values = {} }: FormPageProps) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('signUp.title')}</h1>
      <p>{t('signUp.intro')}</p>
      <ErrorSummary view={view} errors={fieldErrors(errors)} />
      <form method="post" action="/signup" novalidate>
        <CsrfField view={view} />
        <Field view={view} name="displayName" label={t('fields.displayName')} hint={t('fields.displayNameHint')} value={values.displayName} errors={errors} autocomplete="nickname" required maxLength={120} />
        <Field view={view} name="email" type="email" label={t('fields.email')} value={values.email} errors={errors} autocomplete="email" required maxLength={254} />
        <Field view={view} name="password" type="password" label={t('fields.password')} hint={t('fields.passwordHint')} errors={errors} autocomplete="new-password" required />
        <SubmitButton>{t('signUp.submit')}</SubmitButton>
      </form>
      <p>
        {t('signUp.haveAccount')} <a href="/signin">{t('nav.signIn')}</a>
      </p>
    </section>
  );
}

export function SignInPage({ view, errors, values = {}, next }: FormPageProps & { next: string }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('signIn.title')}</h1>
      <FormError view={view} errors={errors} />
      <ErrorSummary view={view} errors={fieldErrors(errors)} />
      <form method="post" action={`/signin${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`} novalidate>
        <CsrfField view={view} />
        <Field view={view} name="email" type="email" label={t('fields.email')} value={values.email} errors={errors} autocomplete="username" required />
        <Field view={view} name="password" type="password" label={t('fields.password')} errors={errors} autocomplete="current-password" required />
        <SubmitButton>{t('signIn.submit')}</SubmitButton>
      </form>
      <p>
        <a href="/password/forgot">{t('signIn.forgot')}</a>
      </p>
      <p>
        {t('signIn.noAccount')} <a href="/signup">{t('nav.signUp')}</a>
      </p>
    </section>
  );
}

export function CodePage({ view, errors, next }: FormPageProps & { next: string }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('signInCode.title')}</h1>
      <p>{t('signInCode.intro')}</p>
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action={`/signin/code${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`} novalidate>
        <CsrfField view={view} />
        <Field view={view} name="code" label={t('fields.code')} hint={t('fields.codeHint')} errors={errors} autocomplete="one-time-code" inputmode="numeric" required maxLength={8} />
        <SubmitButton>{t('signInCode.submit')}</SubmitButton>
      </form>
    </section>
  );
}

export function ForgotPasswordPage({ view, errors, values = {} }: FormPageProps) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('forgot.title')}</h1>
      <p>{t('forgot.intro')}</p>
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action="/password/forgot" novalidate>
        <CsrfField view={view} />
        <Field view={view} name="email" type="email" label={t('fields.email')} value={values.email} errors={errors} autocomplete="email" required />
        <SubmitButton>{t('forgot.submit')}</SubmitButton>
      </form>
    </section>
  );
}

export function ResetPasswordPage({ view, errors, token }: FormPageProps & { token: string }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('reset.title')}</h1>
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action={`/password/reset/${encodeURIComponent(token)}`} novalidate>
        <CsrfField view={view} />
        <Field view={view} name="password" type="password" label={t('fields.newPassword')} hint={t('fields.passwordHint')} errors={errors} autocomplete="new-password" required />
        <SubmitButton>{t('reset.submit')}</SubmitButton>
      </form>
    </section>
  );
}

export function SetupPage({ view, errors, values = {}, token }: FormPageProps & { token: string }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action={`/setup/${encodeURIComponent(token)}`} novalidate>
        <CsrfField view={view} />
        <Field view={view} name="displayName" label={t('fields.displayName')} value={values.displayName} errors={errors} autocomplete="name" required maxLength={120} />
        <Field view={view} name="email" type="email" label={t('fields.email')} value={values.email} errors={errors} autocomplete="email" required maxLength={254} />
        <Field view={view} name="password" type="password" label={t('fields.password')} hint={t('fields.passwordHint')} errors={errors} autocomplete="new-password" required />
        <SubmitButton>{t('setup.submit')}</SubmitButton>
      </form>
    </section>
  );
}
