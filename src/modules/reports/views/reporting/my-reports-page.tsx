/** A signed-in person's own reports: reference, day and status — nothing a coordinator added. */
import type { ViewContext } from '../../../../core/views/view-context.ts';
import type { ReporterView } from '../../submission.ts';

export function MyReportsPage({ view, reports }: { view: ViewContext; reports: readonly ReporterView[] }) {
  const { t } = view;
  return (
    <section>
      <h1>{t('reports.mine.title')}</h1>
      <p>{t('reports.mine.intro')}</p>
      {reports.length === 0 ? (
        <p>{t('reports.mine.none')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('reports.mine.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.receipt.reference')}</th>
              <th scope="col">{t('reports.followUp.receivedOn')}</th>
              <th scope="col">{t('reports.followUp.status')}</th>
              <th scope="col">{t('reports.followUp.additions')}</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((report) => (
              <tr key={report.reference}>
                <td>{report.reference}</td>
                <td>{report.receivedOn}</td>
                <td>{t(`reports.statuses.${report.status}`)}</td>
                <td>{report.additions}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="actions">
        <a class="button" href="/report">
          {t('reports.mine.newReport')}
        </a>
      </p>
    </section>
  );
}
