/** The public map as a table, for people who cannot use the map: the same cells and counts. */
import { PublicFilterForm, PublicIntro, type PublicPageProps } from './public-parts.tsx';

export interface PublicTableProps extends PublicPageProps {
  /** The view the table covers, as given (from the map's link), or undefined for the whole world. */
  area: { bbox: string | undefined; zoom: string | undefined; label: string };
  cells: { h3: string; count: number; lat: number; lon: number }[];
  truncated: boolean;
}

function coordinate(value: number, positive: string, negative: string): string {
  return `${Math.abs(value).toFixed(2)}° ${value >= 0 ? positive : negative}`;
}

export function PublicTablePage(props: PublicTableProps) {
  const { view, filters } = props;
  const { t } = view;
  const rows = [...props.cells].sort((a, b) => b.count - a.count || a.h3.localeCompare(b.h3));
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  return (
    <section class="public-map">
      <h1>{t('map.public.tableTitle')}</h1>
      <PublicIntro view={view} k={props.k} delayDays={props.delayDays} receivedUpTo={props.receivedUpTo} />
      <PublicFilterForm view={view} action="/map/table" filters={filters} errors={props.errors} types={props.types} years={props.years} keep={{ bbox: props.area.bbox, zoom: props.area.zoom }} />
      <p>
        {props.area.label}
        {props.area.bbox && (
          <>
            {' '}
            <a href={`/map/table${filters.type || filters.year ? `?${new URLSearchParams({ ...(filters.type ? { type: filters.type } : {}), ...(filters.year ? { year: filters.year } : {}) }).toString()}` : ''}`}>{t('map.public.wholeWorld')}</a>
          </>
        )}
      </p>
      <p>
        <a href="/map">{t('map.public.mapLink')}</a>
      </p>
      <p role="status">{rows.length === 0 ? t('map.public.none') : t('map.public.tableSummary', { cells: rows.length, total })}</p>
      {props.truncated && <p>{t('map.public.truncated')}</p>}
      {rows.length > 0 && (
        <table class="public-map-table" data-public-map-cells="">
          <caption>{t('map.public.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('map.public.columnCell')}</th>
              <th scope="col">{t('map.public.columnCentre')}</th>
              <th scope="col">{t('map.public.columnCount')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.h3} data-h3={row.h3}>
                <td>
                  <code>{row.h3}</code>
                </td>
                <td>
                  {coordinate(row.lat, t('map.public.north'), t('map.public.south'))}, {coordinate(row.lon, t('map.public.east'), t('map.public.west'))}
                </td>
                <td>{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
