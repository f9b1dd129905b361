/** A country's connection requests, for its national coordinators to approve or refuse. */
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { ConnectionRequestView } from '../connections.ts';
import { Notice, ReportLine } from './parts.tsx';

export function RequestsPage({ view, country, requests, notice, errors }: { view: ViewContext; country: string; requests: ConnectionRequestView[]; notice?: string | undefined; errors?: FieldErrors | undefined }) {
  const { t } = view;
  return (
    <>
      <h1>{t('correlation.requests.title', { country })}</h1>
      <Notice text={notice} />
      <ErrorSummary view={view} errors={errors} />
      {requests.length === 0 && <p>{t('correlation.requests.none')}</p>}
      {requests.map((r) => (
        <section key={r.id} class="card" aria-labelledby={`request-${r.id}`}>
          <h2 id={`request-${r.id}`}>{t('correlation.requests.heading', { day: r.createdAt.slice(0, 10), status: t(`correlation.requests.statuses.${r.status}`) })}</h2>
          {r.report && (
            <p>
              {t('correlation.requests.from')} <ReportLine view={view} report={r.report} />
            </p>
          )}
          <p>
            <strong>{t('correlation.requests.reason')}:</strong> {r.reason}
          </p>
          <p>{t('correlation.requests.linked', { count: r.linkedReports.length })}</p>
          <ul>
            {r.linkedReports.map((report) => (
              <li key={report.id}>
                <ReportLine view={view} report={report} />
              </li>
            ))}
          </ul>
          {r.decisionNote && <p>{r.decisionNote}</p>}
          {r.status === 'pending' && (
            <form method="post" action={`/connection-requests/${r.id}/decision`} aria-label={t('correlation.requests.decide')}>
              <CsrfField view={view} />
              <input type="hidden" name="country" value={country} />
              <div class="field">
                <label for={`note-${r.id}`}>{t('correlation.requests.note')}</label>
                <textarea id={`note-${r.id}`} name="note" maxLength={2000} />
              </div>
              <button type="submit" class="button" name="decision" value="approve">
                {t('correlation.requests.approve')}
              </button>{' '}
              <button type="submit" class="button" name="decision" value="refuse">
                {t('correlation.requests.refuse')}
              </button>
            </form>
          )}
        </section>
      ))}
    </>
  );
}
