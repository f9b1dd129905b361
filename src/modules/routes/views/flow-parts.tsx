/**
 * What the routes pages share: the flow table (which the flow-map island also reads, so the map
 * draws exactly the rows of the table) and the map frame. Every page works without JavaScript: the
 * tables are the data; the map is an addition.
 */
import { countryName } from '../../../core/countries.ts';
import { mapTiles } from '../../../core/http/assets.ts';
import { Island } from '../../../core/views/island.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import { countryCentre } from '../geo.ts';

export interface FlowRow {
  from: string;
  to: string;
  count: number;
}

const name = (view: ViewContext, code: string) => countryName(code, view.lang);

function ends(from: string, to: string): Record<string, string> {
  const a = countryCentre(from);
  const b = countryCentre(to);
  if (!a || !b) return {};
  return { 'data-from-lat': String(a.lat), 'data-from-lon': String(a.lon), 'data-to-lat': String(b.lat), 'data-to-lon': String(b.lon) };
}

/** One table of flows. `layer` names it for the island ('cast' or 'ctdc'); `unit` the counted thing's column header. */
export function FlowTable({ view, rows, layer, caption, unit }: { view: ViewContext; rows: readonly FlowRow[]; layer: 'cast' | 'ctdc'; caption: string; unit: string }) {
  const { t } = view;
  return (
    <table class={`route-flows route-flows-${layer}`} data-route-flows={layer}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('routes.table.from')}</th>
          <th scope="col">{t('routes.table.to')}</th>
          <th scope="col">{unit}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.from}>${row.to}`} data-from={row.from} data-to={row.to} data-count={String(row.count)} {...ends(row.from, row.to)}>
            <td>
              {name(view, row.from)} <span class="route-code">({row.from})</span>
            </td>
            <td>
              {name(view, row.to)} <span class="route-code">({row.to})</span>
            </td>
            <td>{row.count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The flow map: drawn by the route-flows island from the tables on the page. */
export function FlowMap({ view }: { view: ViewContext }) {
  const { t } = view;
  const tiles = mapTiles();
  return (
    <>
      <div class="route-map-frame" data-route-map="">
        <p class="route-map-fallback">{t('routes.map.noScript')}</p>
      </div>
      <p class="route-map-key">
        <span class="route-swatch route-swatch-cast" aria-hidden="true" /> {t('routes.map.castKey')}{' '}
        <span class="route-swatch route-swatch-ctdc" aria-hidden="true" /> {t('routes.map.ctdcKey')}
      </p>
      <Island
        name="route-flows"
        data={{
          label: t('routes.map.label'),
          'zoom-in': t('map.zoomIn'),
          'zoom-out': t('map.zoomOut'),
          flow: t('routes.map.flowTitle'),
          tiles: tiles.url,
          attribution: tiles.attribution,
        }}
      />
    </>
  );
}
