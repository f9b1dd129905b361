/** Setting up two-factor: the QR code, the secret for manual entry, and the confirming code. */
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';

export function TwoFactorSetupPage({ view, secret, qrSvg, errors, required }: { view: ViewContext; secret: string; qrSvg: string; errors?: FieldErrors | undefined; required: boolean }) {
  const { t } = view;
  const grouped = secret.match(/.{1,4}/g)?.join(' ') ?? secret;
  return (
    <section class="narrow">
      <h1>{t('twoFactor.title')}</h1>
      {required && (
        <p class="notice" role="status">
          {t('twoFactor.required')}
        </p>
      )}
      <ol>
        <li>{t('twoFactor.step1')}</li>
        <li>
          {t('twoFactor.step2')}
          <div class="qr" role="img" aria-label={t('twoFactor.qrLabel')} dangerouslySetInnerHTML={{ __html: qrSvg }} />
          <p>
            {t('twoFactor.manual')} <code data-secret={secret}>{grouped}</code>
          </p>
        </li>
        <li>{t('twoFactor.step3')}</li>
      </ol>
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action="/account/two-factor" novalidate>
        <CsrfField view={view} />
        <Field view={view} name="code" label={t('fields.code')} hint={t('fields.codeHint')} errors={errors} autocomplete="one-time-code" inputmode="numeric" required maxLength={8} />
        <SubmitButton>{t('twoFactor.submit')}</SubmitButton>
      </form>
    </section>
  );
}
