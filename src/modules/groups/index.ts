/** What other parts of CAST may use from the groups module. Signatures here stay stable. */
export { groupsRoutes } from './routes.tsx';
export { membershipOf, groupBasics, groupsCoordinatedBy } from './service.ts';
export { groupCovering, groupsCovering } from './locate.ts';
export { membershipsOfUser, type MembershipData } from './data-export.ts';
