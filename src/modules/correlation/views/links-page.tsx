/** A report's links: those the coordinator may see (with confirm and dismiss), counts of the others, and the connection request. */
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import { TextAreaField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { ReportLinks } from '../links.ts';
import { ButtonForm, Notice, ReportLine, reasonText } from './parts.tsx';

interface Props {
  view: ViewContext;
  data: ReportLinks;
  notice?: string | undefined;
  errors?: FieldErrors | undefined;
  values?: Record<string, string | undefined> | undefined;
}

export function LinksPage({ view, data, notice, errors, values = {} }: Props) {
  const { t } = view;
  const base = `/reports/${data.report.id}/links`;
  return (
    <>
      <h1>{t('correlation.links.title', { reference: data.report.reference })}</h1>
      <p>
        <a href={`/reports/${data.report.id}`}>{t('correlation.links.back', { reference: data.report.reference })}</a>
      </p>
      <Notice text={notice} />
      <ErrorSummary view={view} errors={errors} />
      <h2>{t('correlation.links.visible')}</h2>
      {data.links.length === 0 ? (
        <p>{t('correlation.links.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('correlation.links.visible')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('correlation.links.report')}</th>
              <th scope="col">{t('correlation.links.why')}</th>
              <th scope="col">{t('correlation.links.score')}</th>
              <th scope="col">{t('correlation.links.status')}</th>
              <th scope="col">{t('correlation.links.decide')}</th>
            </tr>
          </thead>
          <tbody>
            {data.links.map((link) => (
              <tr key={link.id}>
                <td>
                  <ReportLine view={view} report={link.other} />
                  {link.other.summary && <p class="hint">{link.other.summary}</p>}
                </td>
                <td>
                  <ul>
                    {link.reasons.map((reason, i) => (
                      <li key={i}>{reasonText(view, reason)}</li>
                    ))}
                  </ul>
                </td>
                <td>{link.score.toFixed(2)}</td>
                <td>{t(`correlation.statuses.${link.status}`)}</td>
                <td>
                  {link.canDecide && (
                    <>
                      {link.status !== 'confirmed' && <ButtonForm view={view} action={`/links/${link.id}/confirm`} label={t('correlation.links.confirm')} hidden={{ report: data.report.id }} />}
                      {link.status !== 'dismissed' && <ButtonForm view={view} action={`/links/${link.id}/dismiss`} label={t('correlation.links.dismiss')} hidden={{ report: data.report.id }} />}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('correlation.links.elsewhere')}</h2>
      {data.hidden.length === 0 ? (
        <p>{t('correlation.links.nothingElsewhere')}</p>
      ) : (
        <ul>
          {data.hidden.map((h, i) => (
            <li key={i}>{t(`correlation.hidden.${h.method}`, { what: h.method === 'place-time' ? h.what : t(`correlation.${h.method === 'exact' ? 'kinds' : 'fields'}.${h.what}`), count: h.reports })}</li>
          ))}
        </ul>
      )}
      {data.requests.length > 0 && (
        <>
          <h2>{t('correlation.requests.yours')}</h2>
          <ul>
            {data.requests.map((r) => (
              <li key={r.id}>{t(`correlation.requests.status.${r.status}`, { count: r.reports, day: r.createdAt.slice(0, 10) })}</li>
            ))}
          </ul>
        </>
      )}
      {data.canRequest && (
        <form method="post" action={`/reports/${data.report.id}/connection-requests`} aria-labelledby="request-title" novalidate>
          <h2 id="request-title">{t('correlation.requests.ask')}</h2>
          <p>{t('correlation.requests.explain', { count: data.hiddenReports })}</p>
          <CsrfField view={view} />
          <TextAreaField view={view} name="reason" label={t('correlation.requests.reason')} hint={t('correlation.requests.reasonHint')} value={values.reason} errors={errors} maxLength={2000} required />
          <SubmitButton>{t('correlation.requests.send')}</SubmitButton>
        </form>
      )}
      {data.canCreateNetwork && (
        <form method="post" action="/networks" aria-labelledby="network-title" novalidate>
          <h2 id="network-title">{t('correlation.networks.createTitle')}</h2>
          <p>{t('correlation.networks.createExplain')}</p>
          <CsrfField view={view} />
          <input type="hidden" name="reportId" value={data.report.id} />
          <Field view={view} name="name" label={t('correlation.networks.name')} value={values.name} errors={errors} maxLength={200} required />
          <TextAreaField view={view} name="summary" label={t('correlation.networks.summary')} hint={t('correlation.networks.summaryHint')} value={values.summary} errors={errors} maxLength={5000} />
          <SubmitButton>{t('correlation.networks.create')}</SubmitButton>
        </form>
      )}
      <p class="hint">{base && t('correlation.links.privacy')}</p>
    </>
  );
}
