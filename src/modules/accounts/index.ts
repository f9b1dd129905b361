/** What other parts of CAST may use from the accounts module. */
export { accountsRoutes } from './routes.tsx';
export { sealedColumns } from './sealed-columns.ts';
export { accountDataOf, type AccountData } from './data-export.ts';
export {
  setAccountLanguage,
  setupLinkIfNeeded,
  createAccountAsOperator,
  issueToken,
  findAccountId,
  displayNames,
  sweepExpiredCredentials,
  SIGN_IN_LIMIT_PER_ACCOUNT,
} from './service.ts';
