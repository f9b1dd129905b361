/**
 * The group map page and the national map page: a GET form of filters, the map (the group-map
 * island), and the same picture as tables for people without JavaScript or a pointer.
 */
import type { FieldErrors } from '../../../core/outcome.ts';
import { mapTiles } from '../../../core/http/assets.ts';
import { CheckboxesField, DateField } from '../../../core/views/form-controls.tsx';
import { ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import { Island } from '../../../core/views/island.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { LocalisedTaxonomy } from '../../indicators/index.ts';
import { filtersToQuery, REPORT_STATUSES, type ReportFilters } from '../filters.ts';
import type { MapOverview } from '../group-map.ts';
import { MAX_POINTS, POINT_ZOOM } from '../group-map.ts';
import type { Hotspots } from '../hotspots.ts';

export interface GroupMapPageProps {
  view: ViewContext;
  title: string;
  /** The page's own path, the form's action. */
  action: string;
  /** The JSON API the island reads. */
  api: string;
  hotspotsApi: string;
  filters: ReportFilters;
  /** The query as typed, to refill the form after an error. */
  raw: Record<string, string[]>;
  errors: FieldErrors | undefined;
  overview: MapOverview | undefined;
  hotspots: Hotspots | undefined;
  hotspotsError: string | undefined;
  taxonomy: LocalisedTaxonomy;
}

const label = (list: readonly { id: string; label: string }[], id: string) => list.find((item) => item.id === id)?.label ?? id;

function FilterForm({ view, action, raw, errors, taxonomy }: Pick<GroupMapPageProps, 'view' | 'action' | 'raw' | 'errors' | 'taxonomy'>) {
  const { t } = view;
  const values = (name: string) => raw[name] ?? [];
  const one = (name: string) => values(name)[0];
  const indicators = taxonomy.categories.flatMap((c) => c.indicators);
  return (
    <form method="get" action={action} class="group-map-filters">
      <h2>{t('mapGroup.filters.title')}</h2>
      <ErrorSummary view={view} errors={errors} />
      <DateField view={view} name="from" label={t('mapGroup.filters.from')} value={one('from')} errors={errors} />
      <DateField view={view} name="to" label={t('mapGroup.filters.to')} value={one('to')} errors={errors} />
      <CheckboxesField view={view} name="status" label={t('mapGroup.filters.status')} hint={t('mapGroup.filters.statusHint')} errors={errors} values={values('status')} options={REPORT_STATUSES.map((s) => ({ value: s, label: t(`mapGroup.status.${s}`) }))} />
      <Field view={view} name="grade" label={t('mapGroup.filters.grade')} hint={t('mapGroup.filters.gradeHint')} value={values('grade').join(',')} errors={errors} maxLength={200} />
      <CheckboxesField view={view} name="type" label={t('mapGroup.filters.type')} errors={errors} values={values('type')} options={taxonomy.exploitationTypes.map((x) => ({ value: x.id, label: x.label }))} />
      <CheckboxesField view={view} name="placeType" label={t('mapGroup.filters.placeType')} errors={errors} values={values('placeType')} options={taxonomy.placeTypes.map((x) => ({ value: x.id, label: x.label }))} />
      <details open={values('indicator').length > 0}>
        <summary>{t('mapGroup.filters.indicator')}</summary>
        <CheckboxesField view={view} name="indicator" label={t('mapGroup.filters.indicator')} errors={errors} values={values('indicator')} options={indicators.map((x) => ({ value: x.id, label: x.label }))} />
      </details>
      <SubmitButton>{t('mapGroup.filters.apply')}</SubmitButton>{' '}
      <a href={action}>{t('mapGroup.filters.clear')}</a>
    </form>
  );
}

function TypeCounts({ byType, taxonomy }: { byType: Record<string, number>; taxonomy: LocalisedTaxonomy }) {
  const entries = Object.entries(byType).sort((a, b) => b[1] - a[1]);
  return <>{entries.map(([type, n]) => `${label(taxonomy.exploitationTypes, type)}: ${n}`).join(', ')}</>;
}

function HotspotTable({ view, hotspots, error }: { view: ViewContext; hotspots: Hotspots | undefined; error: string | undefined }) {
  const { t } = view;
  return (
    <section aria-labelledby="hotspots-title">
      <h2 id="hotspots-title">{t('mapGroup.hotspots.title')}</h2>
      <p>{t('mapGroup.hotspots.method')}</p>
      {error && <p class="notice">{t(error)}</p>}
      {hotspots && (
        <>
          <p>{t('mapGroup.hotspots.period', { from: hotspots.from, to: hotspots.to, periods: hotspots.historyPeriods })}</p>
          {hotspots.hotspots.length === 0 ? (
            <p data-hotspots-none="">{t('mapGroup.hotspots.none')}</p>
          ) : (
            <table class="group-map-hotspots">
              <caption>{t('mapGroup.hotspots.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('mapGroup.table.place')}</th>
                  <th scope="col">{t('mapGroup.hotspots.count')}</th>
                  <th scope="col">{t('mapGroup.hotspots.mean')}</th>
                  <th scope="col">{t('mapGroup.hotspots.z')}</th>
                </tr>
              </thead>
              <tbody>
                {hotspots.hotspots.map((h) => (
                  <tr key={h.cell} data-hotspot={h.cell}>
                    <th scope="row">{`${h.lat.toFixed(2)}, ${h.lon.toFixed(2)}`}</th>
                    <td>{h.count}</td>
                    <td>{h.mean}</td>
                    <td>{h.z}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

function CoordinatorTables({ view, overview, taxonomy }: { view: ViewContext; overview: Extract<MapOverview, { view: 'coordinator' }>; taxonomy: LocalisedTaxonomy }) {
  const { t } = view;
  return (
    <section aria-labelledby="areas-title">
      <h2 id="areas-title">{t('mapGroup.table.title')}</h2>
      <p data-map-total={String(overview.total)}>{t('mapGroup.table.total', { count: overview.total })}</p>
      {overview.areas.length === 0 ? (
        <p>{t('mapGroup.table.none')}</p>
      ) : (
        <table class="group-map-areas">
          <caption>{t('mapGroup.table.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('mapGroup.table.place')}</th>
              <th scope="col">{t('mapGroup.table.count')}</th>
              <th scope="col">{t('mapGroup.table.byType')}</th>
            </tr>
          </thead>
          <tbody>
            {overview.areas.map((a) => (
              <tr key={a.cell} data-area={a.cell}>
                <th scope="row">{`${a.lat.toFixed(2)}, ${a.lon.toFixed(2)}`}</th>
                <td>{a.count}</td>
                <td>
                  <TypeCounts byType={a.byType} taxonomy={taxonomy} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {overview.truncated && <p>{t('mapGroup.table.truncated')}</p>}
    </section>
  );
}

function MemberTables({ view, overview, taxonomy }: { view: ViewContext; overview: Extract<MapOverview, { view: 'member' }>; taxonomy: LocalisedTaxonomy }) {
  const { t } = view;
  return (
    <>
      <section aria-labelledby="own-title">
        <h2 id="own-title">{t('mapGroup.member.ownTitle')}</h2>
        {overview.points.length === 0 ? (
          <p>{t('mapGroup.member.ownNone')}</p>
        ) : (
          <ul>
            {overview.points.map((p) => (
              <li key={p.reportId} data-own-report={p.reference}>{`${p.reference} — ${label(taxonomy.exploitationTypes, p.type)} (${p.lat.toFixed(4)}, ${p.lon.toFixed(4)})`}</li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="cells-title">
        <h2 id="cells-title">{t('mapGroup.member.cellsTitle')}</h2>
        <p>{t('mapGroup.member.cellsNote')}</p>
        {overview.cells.length === 0 ? (
          <p>{t('mapGroup.table.none')}</p>
        ) : (
          <table class="group-map-cells">
            <caption>{t('mapGroup.member.cellsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mapGroup.table.place')}</th>
                <th scope="col">{t('mapGroup.table.count')}</th>
              </tr>
            </thead>
            <tbody>
              {overview.cells.map((c) => (
                <tr key={c.cell} data-member-cell={c.cell}>
                  <th scope="row">{`${c.lat.toFixed(2)}, ${c.lon.toFixed(2)}`}</th>
                  <td>{c.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

export function GroupMapPage(props: GroupMapPageProps) {
  const { view, overview, taxonomy } = props;
  const { t } = view;
  const tiles = mapTiles();
  const member = overview?.view === 'member';
  const query = filtersToQuery(props.filters);
  const typeLabels: Record<string, string> = Object.fromEntries([...taxonomy.exploitationTypes.map((x): [string, string] => [x.id, x.label]), ['unspecified', t('mapGroup.unspecified')]]);
  return (
    <section class="group-map">
      <h1>{props.title}</h1>
      <p>{member ? t('mapGroup.member.intro') : t('mapGroup.intro', { zoom: POINT_ZOOM, max: MAX_POINTS })}</p>
      {!member && <FilterForm view={view} action={props.action} raw={props.raw} errors={props.errors} taxonomy={taxonomy} />}
      {!props.errors && (
        <>
          <div class="group-map-frame" data-group-map="" data-api={props.api} data-query={new URLSearchParams(query).toString()} data-view={member ? 'member' : 'coordinator'}>
            <p class="group-map-fallback">{t('mapGroup.noScript')}</p>
          </div>
          <p role="status" class="group-map-status" data-group-map-status="" />
          <Island
            name="group-map"
            data={{
              label: t('mapGroup.mapLabel'),
              'zoom-in': t('map.zoomIn'),
              'zoom-out': t('map.zoomOut'),
              loading: t('mapGroup.loading'),
              failed: t('mapGroup.failed'),
              shown: t('mapGroup.shown'),
              truncated: t('mapGroup.truncated'),
              'open-report': t('mapGroup.openReport'),
              'cell-title': t('mapGroup.cellTitle'),
              types: JSON.stringify(typeLabels),
              tiles: tiles.url,
              attribution: tiles.attribution,
            }}
          />
        </>
      )}
      {overview?.view === 'coordinator' && <CoordinatorTables view={view} overview={overview} taxonomy={taxonomy} />}
      {overview?.view === 'member' && <MemberTables view={view} overview={overview} taxonomy={taxonomy} />}
      {!member && !props.errors && <HotspotTable view={view} hotspots={props.hotspots} error={props.hotspotsError} />}
    </section>
  );
}
