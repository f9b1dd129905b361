/** /disclosures/new: choose a partnership, set what its disclosures may carry, tick graded reports, build. */
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, SubmitButton } from '../../../core/views/form.tsx';
import { CheckboxesField, SelectField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { BuilderChoices } from '../settings.ts';
import { IDENTIFIER_KINDS, MARKINGS } from '../tables.ts';

export interface BuilderPageProps {
  view: ViewContext;
  choices: BuilderChoices;
  errors?: FieldErrors | undefined;
  values?: { reportIds: string[]; networkId?: string | undefined; marking?: string | undefined } | undefined;
  notice?: string | undefined;
}

export function BuilderPage({ view, choices, errors, values, notice }: BuilderPageProps) {
  const { t } = view;
  const chosen = choices.chosen;
  return (
    <section>
      <h1>{t('sharing.builder.title')}</h1>
      {notice && (
        <p class="notice" role="status">
          {t(notice)}
        </p>
      )}
      <ErrorSummary view={view} errors={errors} />
      {choices.partnerships.length === 0 ? (
        <p>{t('sharing.builder.noPartnerships')}</p>
      ) : (
        <form method="get" action="/disclosures/new">
          <SelectField
            view={view}
            name="partnership"
            label={t('sharing.fields.partnership')}
            value={chosen?.partnership.id}
            blank={t('sharing.builder.choosePartnership')}
            options={choices.partnerships.map((p) => ({ value: p.id, label: t('sharing.builder.partnershipOption', { group: p.groupName, partner: p.partnerName, codes: p.handlingCodes.join(', ') }) }))}
          />
          <button type="submit" class="button secondary">
            {t('sharing.builder.show')}
          </button>
        </form>
      )}
      {chosen && (
        <>
          <h2>{t('sharing.terms.title')}</h2>
          <p>{t('sharing.terms.intro', { codes: chosen.partnership.handlingCodes.join(', ') })}</p>
          {chosen.partnership.conditions && <p>{t('sharing.terms.conditions', { conditions: chosen.partnership.conditions })}</p>}
          <form method="post" action={`/partnerships/${chosen.partnership.id}/disclosure-terms`}>
            <CsrfField view={view} />
            <CheckboxesField view={view} name="identifierKinds" label={t('sharing.terms.identifierKinds')} options={IDENTIFIER_KINDS.map((kind) => ({ value: kind, label: t(`sharing.identifierKinds.${kind}`) }))} values={chosen.terms.identifierKinds} />
            <div class="checkbox">
              <input type="checkbox" id="field-preciseLocation" name="preciseLocation" value="on" checked={chosen.terms.preciseLocation} />
              <label for="field-preciseLocation">{t('sharing.terms.preciseLocation')}</label>
            </div>
            <SubmitButton>{t('sharing.terms.save')}</SubmitButton>
          </form>

          <h2>{t('sharing.builder.reportsTitle')}</h2>
          <p>{chosen.secondApproval ? t('sharing.builder.needsApproval') : t('sharing.builder.sentAtOnce')}</p>
          {chosen.reports.length === 0 ? (
            <p>{t('sharing.builder.noReports')}</p>
          ) : (
            <form method="post" action="/disclosures" novalidate>
              <CsrfField view={view} />
              <input type="hidden" name="partnershipId" value={chosen.partnership.id} />
              <CheckboxesField
                view={view}
                name="reportIds"
                label={t('sharing.fields.reports')}
                errors={errors}
                options={chosen.reports.map((report) => ({
                  value: report.id,
                  label: t('sharing.builder.reportOption', { reference: report.reference, grade: report.grade ?? '—', priority: report.priority ? t(`sharing.priority.${report.priority}`) : '—', receivedOn: report.receivedOn }),
                }))}
                values={values?.reportIds ?? []}
              />
              {chosen.networks.length > 0 && (
                <SelectField
                  view={view}
                  name="networkId"
                  label={t('sharing.builder.network')}
                  hint={t('sharing.builder.networkHint')}
                  errors={errors}
                  value={values?.networkId}
                  blank={t('sharing.builder.noNetwork')}
                  options={chosen.networks.map((network) => ({ value: network.id, label: network.name }))}
                />
              )}
              <SelectField view={view} name="marking" label={t('sharing.fields.marking')} errors={errors} value={values?.marking} blank={t('sharing.builder.noMarking')} options={MARKINGS.map((marking) => ({ value: marking, label: marking }))} />
              <SubmitButton>{t('sharing.builder.submit')}</SubmitButton>
            </form>
          )}
        </>
      )}
    </section>
  );
}
