/** The account page: who you are, your password, two-factor, and your API tokens. */
import { SCOPES } from '../../../core/auth/scopes.ts';
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';

export interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface AccountPageProps {
  view: ViewContext;
  account: { email: string; displayName: string; roles: { role: string; country: string | null }[]; twoFactorEnabled: boolean; twoFactorRequired: boolean };
  tokens: TokenRow[];
  notice?: string | undefined;
  newToken?: string | undefined;
  passwordErrors?: FieldErrors | undefined;
  tokenErrors?: FieldErrors | undefined;
  disableErrors?: FieldErrors | undefined;
  tokenName?: string | undefined;
}

function formatDate(view: ViewContext, date: Date | null): string {
  return date ? new Intl.DateTimeFormat(view.lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(date)) + ' UTC' : view.t('account.never');
}

function TokensTable({ view, tokens }: { view: ViewContext; tokens: TokenRow[] }) {
  const { t } = view;
  if (tokens.length === 0) return <p>{t('account.tokens.none')}</p>;
  return (
    <table>
      <caption class="visually-hidden">{t('account.tokens.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('account.tokens.name')}</th>
          <th scope="col">{t('account.tokens.prefix')}</th>
          <th scope="col">{t('account.tokens.scopes')}</th>
          <th scope="col">{t('account.tokens.created')}</th>
          <th scope="col">{t('account.tokens.lastUsed')}</th>
          <th scope="col">{t('account.tokens.status')}</th>
        </tr>
      </thead>
      <tbody>
        {tokens.map((token) => (
          <tr key={token.id}>
            <td>{token.name}</td>
            <td>
              <code>{token.prefix}…</code>
            </td>
            <td>{token.scopes.join(', ')}</td>
            <td>{formatDate(view, token.created_at)}</td>
            <td>{formatDate(view, token.last_used_at)}</td>
            <td>
              {token.revoked_at ? (
                t('account.tokens.revoked')
              ) : (
                <form method="post" action={`/account/tokens/${token.id}/revoke`} class="inline-form">
                  <CsrfField view={view} />
                  <button type="submit" class="link-button" aria-label={t('account.tokens.revokeNamed', { name: token.name })}>
                    {t('account.tokens.revoke')}
                  </button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AccountPage(props: AccountPageProps) {
  const { view, account } = props;
  const { t } = view;
  return (
    <section>
      <h1>{t('account.title')}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {t(props.notice)}
        </p>
      )}
      <dl class="summary">
        <dt>{t('fields.displayName')}</dt>
        <dd>{account.displayName}</dd>
        <dt>{t('fields.email')}</dt>
        <dd>{account.email}</dd>
        <dt>{t('account.roles')}</dt>
        <dd>{account.roles.length ? account.roles.map((r) => (r.country ? `${t(`roles.${r.role}`)} (${r.country})` : t(`roles.${r.role}`))).join(', ') : t('account.noRoles')}</dd>
      </dl>
      {account.roles.some((r) => r.role === 'admin') && (
        <p>
          <a href="/admin/national-coordinators">{t('accounts.admin.coordinators.title')}</a>
        </p>
      )}

      <h2>{t('account.twoFactor.title')}</h2>
      {account.twoFactorEnabled ? (
        <>
          <p>{t('account.twoFactor.on')}</p>
          {account.twoFactorRequired ? (
            <p>{t('account.twoFactor.requiredForRole')}</p>
          ) : (
            <form method="post" action="/account/two-factor/disable" novalidate>
              <CsrfField view={view} />
              <ErrorSummary view={view} errors={props.disableErrors} />
              <Field view={view} name="currentPassword" type="password" label={t('fields.currentPassword')} errors={props.disableErrors} autocomplete="current-password" required />
              <Field view={view} name="code" label={t('fields.code')} errors={props.disableErrors} autocomplete="one-time-code" inputmode="numeric" required maxLength={8} />
              <SubmitButton>{t('account.twoFactor.disable')}</SubmitButton>
            </form>
          )}
        </>
      ) : (
        <p>
          {t('account.twoFactor.off')} <a href="/account/two-factor">{t('account.twoFactor.setUp')}</a>
        </p>
      )}

      <h2>{t('account.password.title')}</h2>
      <ErrorSummary view={view} errors={props.passwordErrors} />
      <form method="post" action="/account/password" novalidate>
        <CsrfField view={view} />
        <Field view={view} name="currentPassword" type="password" label={t('fields.currentPassword')} errors={props.passwordErrors} autocomplete="current-password" required />
        <Field view={view} name="newPassword" type="password" label={t('fields.newPassword')} hint={t('fields.passwordHint')} errors={props.passwordErrors} autocomplete="new-password" required />
        <SubmitButton>{t('account.password.submit')}</SubmitButton>
      </form>

      <h2>{t('account.tokens.title')}</h2>
      <p>{t('account.tokens.intro')}</p>
      {props.newToken && (
        <div class="notice" role="status">
          <p>{t('account.tokens.createdOnce')}</p>
          <p>
            <code class="token">{props.newToken}</code>
          </p>
        </div>
      )}
      <TokensTable view={view} tokens={props.tokens} />
      <h3>{t('account.tokens.create')}</h3>
      <ErrorSummary view={view} errors={props.tokenErrors} />
      <form method="post" action="/account/tokens" novalidate>
        <CsrfField view={view} />
        <Field view={view} name="name" label={t('account.tokens.name')} value={props.tokenName} errors={props.tokenErrors} required maxLength={80} />
        <fieldset id="field-scopes" aria-describedby={props.tokenErrors?.scopes ? 'field-scopes-error' : undefined}>
          <legend>{t('account.tokens.scopes')}</legend>
          {props.tokenErrors?.scopes && (
            <p class="error" id="field-scopes-error">
              {t(props.tokenErrors.scopes)}
            </p>
          )}
          {SCOPES.map((scope) => (
            <div class="checkbox" key={scope}>
              <input type="checkbox" name="scopes" value={scope} id={`scope-${scope.replace(':', '-')}`} />
              <label for={`scope-${scope.replace(':', '-')}`}>
                <code>{scope}</code> — {t(`scopes.${scope}`)}
              </label>
            </div>
          ))}
        </fieldset>
        <SubmitButton>{t('account.tokens.createSubmit')}</SubmitButton>
      </form>

      <h2>{t('retention.export.title')}</h2>
      <p>{t('retention.export.intro')}</p>
      <form method="post" action="/account/export">
        <CsrfField view={view} />
        <SubmitButton>{t('retention.export.submit')}</SubmitButton>
      </form>
      <p>
        <a href="/privacy">{t('retention.export.privacy')}</a>
      </p>
    </section>
  );
}
