/**
 * How a view includes a client island: its script (a module, so it runs after the document is
 * parsed) and its stylesheet when it has one, both from content-hashed URLs on this site. Settings
 * and translated text reach the island as data attributes of its script element, never as inline
 * script, so the Content-Security-Policy stays `script-src 'self'`.
 */
import { assetUrl, hasAsset, mapTiles } from '../http/assets.ts';
import type { ViewContext } from './view-context.ts';

export function Island({ name, data = {} }: { name: string; /** Read by the island from its script's dataset. */ data?: Record<string, string | undefined> }) {
  const attributes = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined).map(([key, value]) => [`data-${key}`, value]));
  return (
    <>
      {hasAsset(`${name}.css`) && <link rel="stylesheet" href={assetUrl(`${name}.css`)} />}
      <script type="module" src={assetUrl(`${name}.js`)} data-island={name} {...attributes} />
    </>
  );
}

/** The map picker island (web/islands/map-picker.ts) for any fieldset marked `data-map-picker`. */
export function MapPickerIsland({ view }: { view: ViewContext }) {
  const tiles = mapTiles();
  return <Island name="map-picker" data={{ label: view.t('map.label'), 'zoom-in': view.t('map.zoomIn'), 'zoom-out': view.t('map.zoomOut'), tiles: tiles.url, attribution: tiles.attribution }} />;
}
