/** /disclosures/:id: one disclosure as its partner (or its senders) read it, with approval, acknowledgement, downloads and outcomes. */
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import { SelectField, TextAreaField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { PackageReport } from '../package.ts';
import type { DisclosureView } from '../service.ts';
import { OUTCOME_KINDS } from '../tables.ts';

export interface DisclosurePageProps {
  view: ViewContext;
  disclosure: DisclosureView;
  notice?: string | undefined;
  outcomeErrors?: FieldErrors | undefined;
  outcomeValues?: Record<string, string | undefined> | undefined;
}

function Report({ view, report, index }: { view: ViewContext; report: PackageReport; index: number }) {
  const { t } = view;
  const row = (label: string, value: string) => (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
  return (
    <article class="disclosed-report">
      <h3>{t('sharing.disclosure.reportHeading', { number: index + 1, reference: report.reference, grade: report.grade })}</h3>
      <dl class="summary">
        {row(t('sharing.fields.grade'), `${report.grade} — ${t(`sharing.grade.source.${report.source}`)}; ${t(`sharing.grade.assessment.${report.assessment}`)}; ${t(`sharing.grade.handling.${report.handling}`)}`)}
        {row(t('sharing.fields.priority'), report.priority ? t(`sharing.priority.${report.priority}`) : '—')}
        {report.conditions && row(t('sharing.fields.conditions'), report.conditions)}
        {row(t('sharing.fields.receivedOn'), report.receivedOn)}
        {report.observedFrom && row(t('sharing.fields.observed'), report.observedTo && report.observedTo !== report.observedFrom ? `${report.observedFrom} – ${report.observedTo}` : report.observedFrom)}
        {report.placeType && row(t('sharing.fields.placeType'), report.placeType)}
        {report.exploitationTypes.length > 0 && row(t('sharing.fields.exploitationTypes'), report.exploitationTypes.join(', '))}
        {report.indicators.length > 0 && row(t('sharing.fields.indicators'), report.indicators.join(', '))}
        {report.peopleCount !== null && row(t('sharing.fields.peopleCount'), String(report.peopleCount))}
        {report.location &&
          row(
            t('sharing.fields.location'),
            report.location.precision === 'precise'
              ? t('sharing.location.precise', { lat: report.location.lat, lon: report.location.lon })
              : t('sharing.location.coarse', { lat: report.location.lat, lon: report.location.lon, cell: report.location.cell }),
          )}
        {report.identifiers.map((identifier) => row(t(`sharing.identifierKinds.${identifier.kind}`), identifier.value ?? t('sharing.withheld')))}
      </dl>
      <h4>{t('sharing.fields.summary')}</h4>
      <p class="summary-text">{report.summary}</p>
    </article>
  );
}

export function DisclosurePage({ view, disclosure, notice, outcomeErrors, outcomeValues }: DisclosurePageProps) {
  const { t } = view;
  const pack = disclosure.package;
  return (
    <section>
      {pack.marking && <p class="marking">{pack.marking}</p>}
      <h1>{t('sharing.disclosure.title', { reference: disclosure.reference })}</h1>
      {notice && (
        <p class="notice" role="status">
          {t(notice)}
        </p>
      )}
      <dl class="summary">
        <dt>{t('sharing.fields.status')}</dt>
        <dd>{t(`sharing.statuses.${disclosure.status}`)}</dd>
        <dt>{t('sharing.fields.from')}</dt>
        <dd>{pack.group.name}</dd>
        <dt>{t('sharing.fields.to')}</dt>
        <dd>{pack.partner.name}</dd>
        {pack.network && (
          <>
            <dt>{t('sharing.fields.network')}</dt>
            <dd>{pack.network.name}</dd>
          </>
        )}
        <dt>{t('sharing.fields.agreement')}</dt>
        <dd>{pack.agreementReference}</dd>
        <dt>{t('sharing.fields.handlingCodes')}</dt>
        <dd>{pack.handlingCodes.map((code) => t(`sharing.grade.handling.${code}`)).join('; ')}</dd>
        {pack.conditions && (
          <>
            <dt>{t('sharing.fields.conditions')}</dt>
            <dd>{pack.conditions}</dd>
          </>
        )}
        {disclosure.sentAt && (
          <>
            <dt>{t('sharing.fields.sentAt')}</dt>
            <dd>{disclosure.sentAt.slice(0, 10)}</dd>
          </>
        )}
        {disclosure.acknowledgedAt && (
          <>
            <dt>{t('sharing.fields.acknowledgedAt')}</dt>
            <dd>{disclosure.acknowledgedAt.slice(0, 10)}</dd>
          </>
        )}
      </dl>
      {disclosure.status === 'awaiting-approval' && <p>{t('sharing.disclosure.awaiting')}</p>}
      {disclosure.canApprove && (
        <form method="post" action={`/disclosures/${disclosure.id}/approval`}>
          <CsrfField view={view} />
          <SubmitButton>{t('sharing.disclosure.approve')}</SubmitButton>
        </form>
      )}
      {disclosure.canAcknowledge && (
        <form method="post" action={`/disclosures/${disclosure.id}/acknowledgement`}>
          <CsrfField view={view} />
          <SubmitButton>{t('sharing.disclosure.acknowledge')}</SubmitButton>
        </form>
      )}
      <p>
        <a href={`/disclosures/${disclosure.id}/pdf`}>{t('sharing.disclosure.downloadPdf')}</a> · <a href={`/disclosures/${disclosure.id}/json`}>{t('sharing.disclosure.downloadJson')}</a>
      </p>
      <h2>{t('sharing.disclosure.reports', { count: pack.reports.length })}</h2>
      {pack.linkedIdentifiers.length > 0 && (
        <>
          <h3>{t('sharing.fields.linkedIdentifiers')}</h3>
          <ul class="linked-identifiers">
            {pack.linkedIdentifiers.map((linked) => (
              <li key={`${linked.kind}-${linked.reports.join()}-${linked.value ?? ''}`}>
                {t(`sharing.identifierKinds.${linked.kind}`)}: {linked.value ?? t('sharing.withheld')} — {t('sharing.disclosure.linkedIn', { reports: linked.reports.join(', ') })}
              </li>
            ))}
          </ul>
        </>
      )}
      {pack.reports.map((report, index) => (
        <Report view={view} report={report} index={index} key={report.reference} />
      ))}
      <h2>{t('sharing.outcomes.title')}</h2>
      {disclosure.outcomes.length === 0 ? (
        <p>{t('sharing.outcomes.none')}</p>
      ) : (
        <ul class="outcomes">
          {disclosure.outcomes.map((outcome) => (
            <li key={outcome.id}>
              {outcome.recordedOn}: {t(`sharing.outcomeKinds.${outcome.kind}`)}
              {outcome.count !== null && ` (${outcome.count})`}
              {outcome.note && <p class="note">{outcome.note}</p>}
            </li>
          ))}
        </ul>
      )}
      {disclosure.canRecordOutcome && (
        <form method="post" action={`/disclosures/${disclosure.id}/outcomes`} novalidate>
          <h3>{t('sharing.outcomes.record')}</h3>
          <ErrorSummary view={view} errors={outcomeErrors} />
          <CsrfField view={view} />
          <SelectField view={view} name="kind" label={t('sharing.fields.outcomeKind')} errors={outcomeErrors} value={outcomeValues?.kind} blank={t('sharing.outcomes.chooseKind')} options={OUTCOME_KINDS.map((kind) => ({ value: kind, label: t(`sharing.outcomeKinds.${kind}`) }))} />
          <Field view={view} name="count" label={t('sharing.fields.count')} hint={t('sharing.outcomes.countHint')} errors={outcomeErrors} value={outcomeValues?.count} inputmode="numeric" />
          <TextAreaField view={view} name="note" label={t('sharing.fields.note')} hint={t('sharing.outcomes.noteHint')} errors={outcomeErrors} value={outcomeValues?.note} maxLength={2000} />
          <SubmitButton>{t('sharing.outcomes.save')}</SubmitButton>
        </form>
      )}
    </section>
  );
}
