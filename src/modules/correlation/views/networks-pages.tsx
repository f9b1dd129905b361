/** The networks list, and one network: its graph, the same as a table, its timeline, and (national coordinators) its name and summary. */
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import { TextAreaField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { NetworkSummary, NetworkView } from '../networks.ts';
import { label, NetworkGraph } from './network-graph.tsx';
import { Notice, ReportLine, reasonText } from './parts.tsx';

export function NetworksPage({ view, networks }: { view: ViewContext; networks: NetworkSummary[] }) {
  const { t } = view;
  return (
    <>
      <h1>{t('correlation.networks.title')}</h1>
      <p>{t('correlation.networks.intro')}</p>
      {networks.length === 0 ? (
        <p>{t('correlation.networks.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('correlation.networks.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('correlation.networks.name')}</th>
              <th scope="col">{t('correlation.networks.country')}</th>
              <th scope="col">{t('correlation.networks.reports')}</th>
              <th scope="col">{t('correlation.networks.created')}</th>
            </tr>
          </thead>
          <tbody>
            {networks.map((n) => (
              <tr key={n.id}>
                <td>
                  <a href={`/networks/${n.id}`}>{n.name}</a>
                </td>
                <td>{n.country}</td>
                <td>{n.reports}</td>
                <td>{n.createdAt.slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

interface NetworkProps {
  view: ViewContext;
  network: NetworkView;
  notice?: string | undefined;
  errors?: FieldErrors | undefined;
  values?: Record<string, string | undefined> | undefined;
}

export function NetworkPage({ view, network, notice, errors, values = {} }: NetworkProps) {
  const { t } = view;
  const nodeLabel = new Map(network.nodes.map((n) => [n.id, label(view, n)]));
  const links = network.edges.filter((e) => e.type === 'link');
  return (
    <>
      <h1>{network.name}</h1>
      <p>
        <a href="/networks">{t('correlation.networks.all')}</a>
      </p>
      <Notice text={notice} />
      {network.summary && <p class="lead">{network.summary}</p>}
      <p>{t('correlation.networks.counts', { count: network.reports, hidden: network.hiddenReports })}</p>
      <h2>{t('correlation.networks.graph')}</h2>
      <NetworkGraph view={view} nodes={network.nodes} edges={network.edges} />
      <p class="hint">{t('correlation.networks.legend')}</p>
      <h2>{t('correlation.networks.table')}</h2>
      <table class="table">
        <caption class="visually-hidden">{t('correlation.networks.table')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('correlation.networks.from')}</th>
            <th scope="col">{t('correlation.networks.to')}</th>
            <th scope="col">{t('correlation.links.why')}</th>
          </tr>
        </thead>
        <tbody>
          {links.map((edge, i) => (
            <tr key={i}>
              <td>{nodeLabel.get(edge.from)}</td>
              <td>{nodeLabel.get(edge.to)}</td>
              <td>{edge.reasons ? edge.reasons.map((r) => reasonText(view, r)).join('; ') : t('correlation.networks.reasonHidden')}</td>
            </tr>
          ))}
          {network.edges
            .filter((e) => e.type === 'holds')
            .map((edge, i) => (
              <tr key={`h${i}`}>
                <td>{nodeLabel.get(edge.from)}</td>
                <td>{nodeLabel.get(edge.to)}</td>
                <td>{t('correlation.networks.holds')}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <h2>{t('correlation.networks.timeline')}</h2>
      {network.timeline.length === 0 ? (
        <p>{t('correlation.networks.noTimeline')}</p>
      ) : (
        <ol class="timeline">
          {network.timeline.map((entry) => (
            <li key={entry.report.id}>
              <time dateTime={entry.day}>{entry.day}</time> <ReportLine view={view} report={entry.report} />
            </li>
          ))}
        </ol>
      )}
      {network.canEdit && (
        <form method="post" action={`/networks/${network.id}`} aria-labelledby="edit-title" novalidate>
          <h2 id="edit-title">{t('correlation.networks.edit')}</h2>
          <ErrorSummary view={view} errors={errors} />
          <CsrfField view={view} />
          <Field view={view} name="name" label={t('correlation.networks.name')} value={values.name ?? network.name} errors={errors} maxLength={200} required />
          <TextAreaField view={view} name="summary" label={t('correlation.networks.summary')} hint={t('correlation.networks.summaryHint')} value={values.summary ?? network.summary} errors={errors} maxLength={5000} />
          <div class="field">
            <input type="checkbox" id="field-refresh" name="refresh" value="on" /> <label for="field-refresh">{t('correlation.networks.refresh')}</label>
          </div>
          <SubmitButton>{t('correlation.networks.save')}</SubmitButton>
        </form>
      )}
    </>
  );
}
