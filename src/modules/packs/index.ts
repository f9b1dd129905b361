/** What other parts of CAST may use from the packs module. Signatures here stay stable. */
export { packsRoutes } from './routes.tsx';
export { packChoices, isPackSlug, packTitle, listPacks, type PackSummary } from './service.ts';
export { pagePath as packPagePath } from './views/pack-pages.tsx';
