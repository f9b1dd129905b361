/** A work queue (a group's, or a country's national inbox): filters as a GET form, 50 lines a page, a "next page" link. */
import type { FieldErrors } from '../../../../core/outcome.ts';
import { ErrorSummary, Field } from '../../../../core/views/form.tsx';
import { DateField, SelectField } from '../../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../../core/views/view-context.ts';
import type { LocalisedTaxonomy } from '../../../indicators/index.ts';
import type { QueueItem, QueueQuery } from '../../review.ts';
import { STATUSES } from '../../tables.ts';

export interface QueuePageProps {
  view: ViewContext;
  title: string;
  intro?: string | undefined;
  /** The page's own path, for the filter form and the paging links. */
  path: string;
  items: QueueItem[];
  next: string | null;
  query: QueueQuery;
  errors?: FieldErrors | undefined;
  taxonomy: LocalisedTaxonomy;
}

const labelOf = (list: readonly { id: string; label: string }[], id: string | null) => (id === null ? '' : (list.find((entry) => entry.id === id)?.label ?? id));

function filterLink(path: string, query: QueueQuery, after: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (key !== 'after' && value !== undefined && value !== '' && value !== false) params.set(key, String(value));
  params.set('after', after);
  return `${path}?${params.toString()}`;
}

/** The export form (map module) for this queue, with the queue's filters in its names; a link, so reports never imports map. */
function exportLink(path: string, query: QueueQuery): string {
  const params = new URLSearchParams();
  const group = /^\/groups\/([^/]+)\/reports$/.exec(path);
  const country = /^\/countries\/([^/]+)\/reports$/.exec(path);
  if (group) params.set('groupId', group[1]!);
  else if (country) params.set('country', country[1]!);
  const names = { status: 'status', exploitationType: 'type', indicator: 'indicator', receivedFrom: 'from', receivedTo: 'to', placeType: 'placeType' } as const;
  for (const [from, to] of Object.entries(names)) {
    const value = query[from as keyof typeof names];
    if (typeof value === 'string' && value.trim() !== '') params.set(to, value.trim());
  }
  return `/exports/new?${params.toString()}`;
}

function Filters({ view, path, query, errors, taxonomy }: Omit<QueuePageProps, 'title' | 'items' | 'next'>) {
  const { t } = view;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return (
    <form method="get" action={path} class="filters" aria-labelledby="queue-filters">
      <h2 id="queue-filters">{t('reports.review.queue.filters')}</h2>
      <SelectField view={view} name="status" label={t('reports.review.queue.status')} blank={t('reports.review.queue.anyStatus')} value={text(query.status)} errors={errors} options={STATUSES.map((s) => ({ value: s, label: t(`reports.review.statuses.${s}`) }))} />
      <SelectField view={view} name="exploitationType" label={t('reports.review.queue.types')} blank={t('reports.review.queue.anyType')} value={text(query.exploitationType)} errors={errors} options={taxonomy.exploitationTypes.map((e) => ({ value: e.id, label: e.label }))} />
      <SelectField view={view} name="placeType" label={t('reports.review.queue.place')} blank={t('reports.review.queue.anyPlace')} value={text(query.placeType)} errors={errors} options={taxonomy.placeTypes.map((p) => ({ value: p.id, label: p.label }))} />
      <Field view={view} name="indicator" label={t('reports.review.queue.indicator')} value={text(query.indicator)} errors={errors} maxLength={80} />
      <DateField view={view} name="receivedFrom" label={t('reports.review.queue.receivedFrom')} value={text(query.receivedFrom)} errors={errors} />
      <DateField view={view} name="receivedTo" label={t('reports.review.queue.receivedTo')} value={text(query.receivedTo)} errors={errors} />
      <div class="checkbox">
        <input type="checkbox" id="field-assigned" name="assigned" value="me" checked={query.assigned === 'me'} />
        <label for="field-assigned">{t('reports.review.queue.assignedToMe')}</label>
      </div>
      <div class="checkbox">
        <input type="checkbox" id="field-unread" name="unread" value="true" checked={query.unread === 'true' || query.unread === true} />
        <label for="field-unread">{t('reports.review.queue.unreadOnly')}</label>
      </div>
      <p>
        <button type="submit" class="button">
          {t('reports.review.queue.filter')}
        </button>{' '}
        <a href={path}>{t('reports.review.queue.clear')}</a>
      </p>
    </form>
  );
}

export function QueuePage(props: QueuePageProps) {
  const { view, items, taxonomy } = props;
  const { t } = view;
  const self = view.actor.kind === 'user' ? view.actor.userId : '';
  return (
    <section>
      <h1>{props.title}</h1>
      {props.intro && <p>{props.intro}</p>}
      <ErrorSummary view={view} errors={props.errors} />
      <Filters view={view} path={props.path} query={props.query} errors={props.errors} taxonomy={taxonomy} />
      {!props.errors && (
        <p>
          <a href={exportLink(props.path, props.query)}>{t('mapExports.form.link')}</a>{' '}
          <a href={props.path.replace(/\/reports$/, '/map')}>{t('mapGroup.link')}</a>{' '}
          <a href={props.path.replace(/\/reports$/, '/routes')}>{t('routes.link')}</a>
        </p>
      )}
      {items.length === 0 ? (
        <p>{t('reports.review.queue.empty')}</p>
      ) : (
        <table>
          <caption>{t('reports.review.queue.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.review.queue.reference')}</th>
              <th scope="col">{t('reports.review.queue.received')}</th>
              <th scope="col">{t('reports.review.queue.status')}</th>
              <th scope="col">{t('reports.review.queue.place')}</th>
              <th scope="col">{t('reports.review.queue.types')}</th>
              <th scope="col">{t('reports.review.queue.counts')}</th>
              <th scope="col">{t('reports.review.queue.grade')}</th>
              <th scope="col">{t('reports.review.queue.priority')}</th>
              <th scope="col">{t('reports.review.queue.assignee')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <th scope="row">
                  <a href={`/reports/${item.id}`}>{item.reference}</a>
                  {item.unreadAdditions && <> ({t('reports.review.queue.unread')})</>}
                </th>
                <td>{item.receivedOn}</td>
                <td>{t(`reports.review.statuses.${item.status}`)}</td>
                <td>{labelOf(taxonomy.placeTypes, item.placeType)}</td>
                <td>{item.exploitationTypes.map((id) => labelOf(taxonomy.exploitationTypes, id)).join(', ')}</td>
                <td>
                  {item.indicatorCount} / {item.identifierCount}
                </td>
                <td>{item.grade ?? ''}</td>
                <td>{item.priority ? t(`reports.review.priorities.${item.priority}`) : ''}</td>
                <td>{item.assignedTo === null ? '' : item.assignedTo === self ? t('reports.review.queue.you') : t('reports.review.queue.someone')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav aria-label={t('reports.review.queue.caption')}>
        {props.query.after && (
          <>
            <a href={props.path}>{t('reports.review.queue.first')}</a>{' '}
          </>
        )}
        {props.next && (
          <a href={filterLink(props.path, props.query, props.next)} rel="next">
            {t('reports.review.queue.next')}
          </a>
        )}
      </nav>
    </section>
  );
}
