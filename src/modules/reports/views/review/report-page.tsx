/** The report page for its reviewers: the report in full, what the reporter added, its history, and what a coordinator can do next. */
import type { ComponentChildren } from 'preact';
import { countryName } from '../../../../core/countries.ts';
import type { FieldErrors } from '../../../../core/outcome.ts';
import { ErrorSummary } from '../../../../core/views/form.tsx';
import type { ViewContext } from '../../../../core/views/view-context.ts';
import type { LocalisedTaxonomy } from '../../../indicators/index.ts';
import type { OpenedReport } from '../../review.ts';
import { ReportActions, type ActionValues } from './report-actions.tsx';

export interface ReportPageProps {
  view: ViewContext;
  opened: OpenedReport;
  taxonomy: LocalisedTaxonomy;
  notice?: string | undefined;
  errors?: FieldErrors | undefined;
  values?: ActionValues | undefined;
  warnings?: { kind: string; match: string }[] | undefined;
}

const labels = (list: readonly { id: string; label: string }[], ids: readonly string[]) => ids.map((id) => list.find((entry) => entry.id === id)?.label ?? id).join(', ');

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

export function ReportPage({ view, opened, taxonomy, notice, errors, values, warnings }: ReportPageProps) {
  const { t } = view;
  const { report, history } = opened;
  const indicators = taxonomy.categories.flatMap((category) => category.indicators);
  const countries = (codes: string[]) => (codes.length === 0 ? t('reports.review.page.none') : codes.map((code) => countryName(code, view.lang)).join(', '));
  const back = report.groupId ? { href: `/groups/${report.groupId}/reports`, label: t('reports.review.page.back') } : { href: `/countries/${report.country}/reports`, label: t('reports.review.page.backNational') };
  const assignee = report.assignedTo ? (opened.names.get(report.assignedTo) ?? report.assignedTo) : t('reports.review.page.nobody');
  return (
    <section>
      <p>
        <a href={back.href}>{back.label}</a>
      </p>
      <h1>{t('reports.review.page.title', { reference: report.reference })}</h1>
      <p>
        <a href={`/reports/${report.id}/links`}>{t('correlation.links.open')}</a>
      </p>
      {notice && (
        <p class="notice" role="status">
          {t(notice)}
        </p>
      )}
      {report.purgedOn && (
        <p class="notice" role="status">
          {t('reports.review.page.purged', { day: report.purgedOn })}
        </p>
      )}
      <ErrorSummary view={view} errors={errors} />
      <dl class="summary">
        <Row label={t('reports.review.page.status')}>
          {t(`reports.review.statuses.${report.status}`)}
          {report.duplicateOf && opened.duplicateOfReference && (
            <>
              {' — '}
              <a href={`/reports/${report.duplicateOf}`}>{t('reports.review.page.duplicateOf', { reference: opened.duplicateOfReference })}</a>
            </>
          )}
        </Row>
        <Row label={t('reports.review.queue.received')}>{report.receivedOn}</Row>
        <Row label={t('reports.review.page.assignedTo')}>{assignee}</Row>
        {report.grade && (
          <>
            <Row label={t('reports.review.page.grade')}>
              {t('reports.review.page.gradeLine', {
                grade: `${report.grade.source}/${report.grade.assessment}/${report.grade.handling}`,
                priority: report.grade.priority ? t(`reports.review.priorities.${report.grade.priority}`) : t('reports.review.page.none'),
              })}
            </Row>
            {report.grade.conditions && <Row label={t('reports.review.page.conditions')}>{report.grade.conditions}</Row>}
            <Row label={t('reports.review.page.summary')}>{report.grade.summary}</Row>
          </>
        )}
      </dl>

      <h2>{t('reports.review.page.facts')}</h2>
      <dl class="summary">
        <Row label={t('reports.review.page.where')}>{countryName(report.country, view.lang)}</Row>
        {report.placeType && <Row label={t('reports.review.page.place')}>{labels(taxonomy.placeTypes, [report.placeType])}</Row>}
        {report.location?.place && <Row label={t('reports.review.page.place')}>{report.location.place}</Row>}
        {report.location?.lat !== undefined && report.location.lon !== undefined && (
          <Row label={t('reports.review.page.point')}>
            {report.location.lat.toFixed(5)}, {report.location.lon.toFixed(5)}
          </Row>
        )}
        {report.h3Cell && <Row label={t('reports.review.page.cell')}>{report.h3Cell}</Row>}
        {report.observedFrom && <Row label={t('reports.review.page.when')}>{report.observedTo && report.observedTo !== report.observedFrom ? `${report.observedFrom} – ${report.observedTo}` : report.observedFrom}</Row>}
        {report.observedTime && <Row label={t('reports.review.page.observedTime')}>{report.observedTime}</Row>}
        {report.exploitationTypes.length > 0 && <Row label={t('reports.review.queue.types')}>{labels(taxonomy.exploitationTypes, report.exploitationTypes)}</Row>}
        {report.peopleCount !== null && <Row label={t('reports.review.page.peopleCount')}>{report.peopleCount}</Row>}
        {report.ageBands.length > 0 && <Row label={t('reports.review.page.ageBands')}>{labels(taxonomy.ageBands, report.ageBands)}</Row>}
        {report.genders.length > 0 && <Row label={t('reports.review.page.genders')}>{labels(taxonomy.genders, report.genders)}</Row>}
        {report.route.origin.length + report.route.transit.length + report.route.destination.length > 0 && (
          <Row label={t('reports.review.page.route')}>
            {t('reports.review.page.routeLine', { origin: countries(report.route.origin), transit: countries(report.route.transit), destination: countries(report.route.destination) })}
          </Row>
        )}
      </dl>
      {report.indicators.length > 0 && (
        <ul>
          {report.indicators.map((id) => (
            <li key={id}>{indicators.find((indicator) => indicator.id === id)?.label ?? id}</li>
          ))}
        </ul>
      )}

      {report.account && (
        <>
          <h2>{t('reports.review.page.account')}</h2>
          <p class="account">{report.account}</p>
        </>
      )}
      {report.vehicles && (
        <>
          <h2>{t('reports.review.page.vehicles')}</h2>
          <p>{report.vehicles}</p>
        </>
      )}

      {report.names.length > 0 && (
        <>
          <h2>{t('reports.review.page.names')}</h2>
          <ul>
            {report.names.map((name, i) => (
              <li key={i}>{name}</li>
            ))}
          </ul>
        </>
      )}

      <h2>{t('reports.review.page.identifiers')}</h2>
      {report.identifiers.length === 0 ? (
        <p>{t('reports.review.page.noIdentifiers')}</p>
      ) : (
        <ul>
          {report.identifiers.map((identifier) => (
            <li key={identifier.id}>
              {t(`reports.review.warningKinds.${identifier.kind}`)}: <code>{identifier.value}</code>
              {identifier.normalised !== identifier.value && <> (<code>{identifier.normalised}</code>)</>}
              {identifier.unparsed && <> — {t('reports.review.page.unparsed')}</>}
              {identifier.addedLater && <> — {t('reports.review.page.addedLater')}</>}
            </li>
          ))}
        </ul>
      )}

      <h2>{t('reports.review.page.contact')}</h2>
      <p>{report.contact ? report.contact : t('reports.review.page.noContact')}</p>
      {report.contact && report.contactConsent && <p>{t('reports.review.page.contactConsent')}</p>}

      <h2>{t('reports.review.page.additions')}</h2>
      {report.additions.length === 0 ? (
        <p>{t('reports.review.page.noAdditions')}</p>
      ) : (
        <ul>
          {report.additions.map((addition) => (
            <li key={addition.id}>
              {addition.addedOn}: {addition.account ?? ''}
            </li>
          ))}
        </ul>
      )}

      <h2>{t('reports.review.page.history')}</h2>
      {history.length === 0 ? (
        <p>{t('reports.review.page.noHistory')}</p>
      ) : (
        <ol class="history">
          {history.map((entry) => (
            <li key={entry.id}>
              <time datetime={entry.at}>{entry.at.slice(0, 16).replace('T', ' ')}</time> — {t(`reports.review.events.${entry.kind}`, { grade: typeof entry.detail?.grade === 'string' ? entry.detail.grade : '' })}{' '}
              {t('reports.review.events.by', { name: entry.actorName ?? t('reports.review.events.someone') })}
              {entry.note && <p class="note">{entry.note}</p>}
            </li>
          ))}
        </ol>
      )}

      {opened.canChange ? <ReportActions view={view} report={report} errors={errors} values={values} warnings={warnings} /> : <p>{t('reports.review.page.readOnly')}</p>}
    </section>
  );
}
