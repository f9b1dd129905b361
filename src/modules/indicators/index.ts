/** What other parts of CAST may use from the indicators module. Signatures here stay stable. */
export type { Taxonomy, LocalisedTaxonomy } from './taxonomy.ts';
export { taxonomy, localisedTaxonomy, emergencyNumber, emergencyAdvice } from './service.ts';
export { indicatorsRoutes } from './routes.ts';
