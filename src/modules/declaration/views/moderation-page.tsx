/** The operator's view of the abuse controls: limits, domain lists, trending domains and address hashes, bulk invalidation. */
import type { FieldErrors } from '../../../core/outcome.ts';
import { SelectField } from '../../../core/views/form-controls.tsx';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import { TREND_HOURS, type ModerationView } from '../moderation.ts';
import type { Trend } from '../store.ts';

export interface ModerationProps {
  view: ViewContext;
  model: ModerationView;
  declarations: { id: string; slug: string }[];
  errors?: FieldErrors | undefined;
  values?: Record<string, string | undefined> | undefined;
  notice?: string | undefined;
}

function TrendTable({ view, caption, rows, by, declarationId, hours }: { view: ViewContext; caption: string; rows: Trend[]; by: 'domain' | 'address'; declarationId: string; hours: number }) {
  const { t } = view;
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t(by === 'domain' ? 'declaration.moderation.domain' : 'declaration.moderation.addressHash')}</th>
          <th scope="col">{t('declaration.moderation.signatures')}</th>
          <th scope="col">{t('declaration.moderation.confirmed')}</th>
          <th scope="col">{t('declaration.moderation.marked')}</th>
          <th scope="col">{t('declaration.moderation.action')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={5}>{t('declaration.moderation.none')}</td>
          </tr>
        ) : (
          rows.map((row) => (
            <tr key={row.key}>
              <td>
                <code>{by === 'address' ? `${row.key.slice(12, 24)}…` : row.key}</code>
              </td>
              <td>{row.signatures}</td>
              <td>{row.confirmed}</td>
              <td>{row.marked}</td>
              <td>
                <form method="post" action="/declarations/moderation/invalidate" class="inline-form">
                  <CsrfField view={view} />
                  <input type="hidden" name="declarationId" value={declarationId} />
                  <input type="hidden" name="by" value={by} />
                  <input type="hidden" name="value" value={row.key} />
                  <input type="hidden" name="hours" value={String(hours)} />
                  <button type="submit" class="link-button">
                    {t('declaration.moderation.invalidate', { hours })}
                  </button>
                </form>
              </td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

export function ModerationPage({ view, model, declarations, errors, values, notice }: ModerationProps) {
  const { t } = view;
  const s = model.settings;
  const value = (name: keyof typeof s) => values?.[name] ?? String(s[name]);
  return (
    <section>
      <h1>{t('declaration.moderation.title')}</h1>
      {notice && (
        <p class="notice" role="status">
          {t(notice)}
        </p>
      )}
      <ErrorSummary view={view} errors={errors} />

      <h2>{t('declaration.moderation.trending')}</h2>
      <form method="get" action="/declarations/moderation">
        <SelectField view={view} name="declaration" label={t('declaration.moderation.declaration')} options={declarations.map((d) => ({ value: d.id, label: d.slug }))} value={model.declarationId} blank={t('declaration.moderation.choose')} />
        <SelectField view={view} name="hours" label={t('declaration.moderation.period')} options={TREND_HOURS.map((h) => ({ value: String(h), label: t('declaration.moderation.hours', { count: h }) }))} value={String(model.hours)} />
        <SubmitButton>{t('declaration.moderation.show')}</SubmitButton>
      </form>
      {model.declarationId && (
        <>
          <TrendTable view={view} caption={t('declaration.moderation.domains')} rows={model.domains} by="domain" declarationId={model.declarationId} hours={model.hours} />
          <TrendTable view={view} caption={t('declaration.moderation.addresses')} rows={model.addresses} by="address" declarationId={model.declarationId} hours={model.hours} />
        </>
      )}

      <h2>{t('declaration.moderation.limits')}</h2>
      <p class="hint">{t('declaration.moderation.limitsHint')}</p>
      <form method="post" action="/declarations/moderation/settings">
        <CsrfField view={view} />
        <Field view={view} name="burstMax" label={t('declaration.moderation.burstMax')} value={value('burstMax')} errors={errors} inputmode="numeric" />
        <Field view={view} name="burstSeconds" label={t('declaration.moderation.burstSeconds')} value={value('burstSeconds')} errors={errors} inputmode="numeric" />
        <Field view={view} name="sustainedMax" label={t('declaration.moderation.sustainedMax')} value={value('sustainedMax')} errors={errors} inputmode="numeric" />
        <Field view={view} name="sustainedSeconds" label={t('declaration.moderation.sustainedSeconds')} value={value('sustainedSeconds')} errors={errors} inputmode="numeric" />
        <Field view={view} name="eraseAfterDays" label={t('declaration.moderation.eraseAfterDays')} value={value('eraseAfterDays')} errors={errors} inputmode="numeric" />
        <SubmitButton>{t('declaration.moderation.saveLimits')}</SubmitButton>
      </form>

      <h2>{t('declaration.moderation.domainLists')}</h2>
      <table>
        <caption>{t('declaration.moderation.domainListsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('declaration.moderation.domain')}</th>
            <th scope="col">{t('declaration.moderation.kind')}</th>
            <th scope="col">{t('declaration.moderation.action')}</th>
          </tr>
        </thead>
        <tbody>
          {model.rules.map((rule) => (
            <tr key={rule.domain}>
              <td>{rule.domain}</td>
              <td>{t(`declaration.moderation.kinds.${rule.kind}`)}</td>
              <td>
                <form method="post" action="/declarations/moderation/domains/remove" class="inline-form">
                  <CsrfField view={view} />
                  <input type="hidden" name="domain" value={rule.domain} />
                  <button type="submit" class="link-button">
                    {t('declaration.moderation.remove', { domain: rule.domain })}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action="/declarations/moderation/domains">
        <CsrfField view={view} />
        <Field view={view} name="domain" label={t('declaration.moderation.domain')} value={values?.domain} errors={errors} />
        <SelectField
          view={view}
          name="kind"
          label={t('declaration.moderation.kind')}
          options={(['blocked', 'disposable'] as const).map((k) => ({ value: k, label: t(`declaration.moderation.kinds.${k}`) }))}
          value={values?.kind}
          errors={errors}
        />
        <SubmitButton>{t('declaration.moderation.addDomain')}</SubmitButton>
      </form>
    </section>
  );
}
