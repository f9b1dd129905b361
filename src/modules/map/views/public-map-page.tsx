/** The public map: hexagons coloured by count, drawn by the public-map island; filters work without it. */
import { mapTiles } from '../../../core/http/assets.ts';
import { Island } from '../../../core/views/island.tsx';
import { Legend, PublicFilterForm, PublicIntro, publicQuery, type PublicPageProps } from './public-parts.tsx';

export function PublicMapPage(props: PublicPageProps & { legend: number[] }) {
  const { view, filters } = props;
  const { t } = view;
  const tiles = mapTiles();
  const tableLink = `/map/table${publicQuery({ type: filters.type, year: filters.year })}`;
  return (
    <section class="public-map">
      <h1>{t('map.public.title')}</h1>
      <PublicIntro view={view} k={props.k} delayDays={props.delayDays} receivedUpTo={props.receivedUpTo} />
      <PublicFilterForm view={view} action="/map" filters={filters} errors={props.errors} types={props.types} years={props.years} />
      <p>
        <a href={tableLink} data-public-map-table-link="">
          {t('map.public.tableLink')}
        </a>
      </p>
      <p>
        <a href="/statistics">{t('routes.statistics.link')}</a>
      </p>
      <div class="public-map-frame" data-public-map="" data-type={props.errors ? '' : (filters.type ?? '')} data-year={props.errors ? '' : (filters.year ?? '')} data-legend={props.legend.join(',')}>
        <p class="public-map-fallback">{t('map.public.noScript')}</p>
      </div>
      <p role="status" class="public-map-status" data-public-map-status="" />
      <Legend view={view} bounds={props.legend} />
      <Island
          name="public-map"
          data={{
            label: t('map.public.mapLabel'),
            'zoom-in': t('map.zoomIn'),
            'zoom-out': t('map.zoomOut'),
            loading: t('map.public.loading'),
            shown: t('map.public.shown'),
            none: t('map.public.none'),
            failed: t('map.public.failed'),
            truncated: t('map.public.truncated'),
            cell: t('map.public.cellTitle'),
            tiles: tiles.url,
            attribution: tiles.attribution,
          }}
      />
    </section>
  );
}
