/** "Your exports": the export jobs someone started, with their progress and, once done, the download. */
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { ExportView } from '../export-service.ts';

export function ExportListPage({ view, items }: { view: ViewContext; items: ExportView[] }) {
  const { t } = view;
  const running = items.some((item) => item.status === 'queued' || item.status === 'running');
  return (
    <section>
      <h1>{t('mapExports.list.title')}</h1>
      <p>{t('mapExports.list.intro')}</p>
      {items.length === 0 ? (
        <p>{t('mapExports.list.empty')}</p>
      ) : (
        <table>
          <caption>{t('mapExports.list.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('mapExports.list.started')}</th>
              <th scope="col">{t('mapExports.list.scope')}</th>
              <th scope="col">{t('mapExports.list.format')}</th>
              <th scope="col">{t('mapExports.list.progress')}</th>
              <th scope="col">{t('mapExports.list.file')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <th scope="row">{item.createdAt.slice(0, 16).replace('T', ' ')} UTC</th>
                <td>{item.scope.groupId ? t('mapExports.list.group') : t('mapExports.list.country', { country: item.scope.country })}</td>
                <td>{t(`mapExports.formats.${item.format}`)}</td>
                <td>
                  <progress max={item.rowsTotal ?? 0} value={item.rowsDone} aria-label={t('mapExports.list.progressLabel')} />{' '}
                  {t(`mapExports.statuses.${item.status}`)} — {t('mapExports.list.rows', { done: item.rowsDone, total: item.rowsTotal ?? '?' })}
                </td>
                <td>{item.status === 'done' ? <a href={`/exports/${item.id}/file`}>{t('mapExports.list.download')}</a> : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {running && (
        <p>
          <a href="/exports">{t('mapExports.list.refresh')}</a>
        </p>
      )}
      <p>{t('mapExports.list.expiry')}</p>
    </section>
  );
}
