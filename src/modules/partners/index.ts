/** What other parts of CAST may use from the partners module. */
export { partnersRoutes } from './routes.tsx';
export { activePartnership } from './partnerships.ts';
export { activePartnershipsOf, partnersOfUser, partnershipById, partnerUserContacts, type ActivePartnership } from './for-sharing.ts';
