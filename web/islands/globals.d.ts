/** Replaced by esbuild at bundle time (src/core/http/assets.ts) with the content-hashed basemap URLs. */
declare const __CAST_BASEMAP__: { coarse: string; fine: string };
