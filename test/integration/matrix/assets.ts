/** Authorisation matrix rows of the client assets: island bundles and the basemap are public to everyone. */
import { assetUrl, loadAssets } from '../../../src/core/http/assets.ts';
import type { MatrixPart } from './types.ts';

export const matrix: MatrixPart = {
  rows: async () => {
    await loadAssets();
    return [
      { method: 'GET', route: '/assets/*', path: assetUrl('map-picker.js'), expect: 200 },
      { method: 'GET', route: '/assets/*', path: assetUrl('basemap/countries-110m.json'), expect: 200 },
      { method: 'GET', route: '/assets/*', path: '/assets/map-picker.000000000000.js', expect: 404 },
    ];
  },
};
