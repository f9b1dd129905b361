/**
 * Following up with a receipt code: a form that asks for the code (posted, never in an address), and
 * the status page with a form to add information, which carries the code in a hidden field. A report
 * reduced to statistics under the retention policy says so instead, with a link to the privacy notice,
 * and offers no form: nothing can be added to it.
 */
import type { FieldErrors } from '../../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field } from '../../../../core/views/form.tsx';
import { TextAreaField } from '../../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../../core/views/view-context.ts';
import type { IdentifierRow } from '../../form-input.ts';
import type { ReporterView } from '../../submission.ts';
import { IdentifierRows } from './form-parts.tsx';
import { QuickExit } from './safety.tsx';

export function FollowUpLookupPage({ view, quickExitUrl, receipt, errors }: { view: ViewContext; quickExitUrl: string; receipt?: string; errors?: FieldErrors | undefined }) {
  const { t } = view;
  return (
    <section class="narrow">
      <QuickExit view={view} url={quickExitUrl} />
      <h1>{t('reports.followUp.title')}</h1>
      <p>{t('reports.followUp.intro')}</p>
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action="/report/follow-up" novalidate autocomplete="off">
        <CsrfField view={view} />
        <Field view={view} name="receipt" label={t('reports.followUp.receipt')} hint={t('reports.followUp.receiptHint')} value={receipt} errors={errors} required maxLength={64} autocomplete="off" />
        <p class="actions">
          <button type="submit" class="button">
            {t('reports.followUp.lookUp')}
          </button>
        </p>
      </form>
      <p>{t('reports.followUp.lost')}</p>
    </section>
  );
}

export interface FollowUpStatusProps {
  view: ViewContext;
  quickExitUrl: string;
  receipt: string;
  report: ReporterView;
  /** After information was added. */
  added?: boolean;
  errors?: FieldErrors | undefined;
  account?: string;
  identifiers?: readonly IdentifierRow[];
  identifierRows: number;
}

export function FollowUpStatusPage({ view, quickExitUrl, receipt, report, added, errors, account, identifiers = [], identifierRows }: FollowUpStatusProps) {
  const { t } = view;
  return (
    <section class="narrow">
      <QuickExit view={view} url={quickExitUrl} />
      <h1>{t('reports.followUp.statusTitle')}</h1>
      {added && (
        <p class="notice" role="status">
          {t('reports.followUp.added')}
        </p>
      )}
      <dl class="summary">
        <dt>{t('reports.receipt.reference')}</dt>
        <dd>{report.reference}</dd>
        <dt>{t('reports.followUp.receivedOn')}</dt>
        <dd>{report.receivedOn}</dd>
        <dt>{t('reports.followUp.status')}</dt>
        <dd data-report-status={report.status}>{t(`reports.statuses.${report.status}`)}</dd>
        {/* A purged report's additions are deleted: a count of them would mislead. */}
        {!report.reducedToStatistics && (
          <>
            <dt>{t('reports.followUp.additions')}</dt>
            <dd>{report.additions}</dd>
          </>
        )}
      </dl>
      <p>{t(`reports.followUp.statusMeaning.${report.status}`)}</p>
      {report.reducedToStatistics ? <ReducedToStatistics view={view} /> : <AddForm view={view} receipt={receipt} errors={errors} account={account} identifiers={identifiers} identifierRows={identifierRows} />}
    </section>
  );
}

/** What the retention policy did to the report, in plain words, and where to read the policy. */
function ReducedToStatistics({ view }: { view: ViewContext }) {
  const { t } = view;
  return (
    <section class="notice" aria-labelledby="report-purged-title" data-report-purged="">
      <h2 id="report-purged-title">{t('reports.followUp.purgedTitle')}</h2>
      <p>{t('reports.followUp.purgedText')}</p>
      <p>{t('reports.followUp.purgedNew')}</p>
      <p>
        <a href="/privacy">{t('reports.followUp.purgedPolicy')}</a>
      </p>
    </section>
  );
}

function AddForm({ view, receipt, errors, account, identifiers, identifierRows }: Pick<FollowUpStatusProps, 'view' | 'receipt' | 'errors' | 'account' | 'identifierRows'> & { identifiers: readonly IdentifierRow[] }) {
  const { t } = view;
  return (
    <>
      <h2>{t('reports.followUp.addTitle')}</h2>
      <p>{t('reports.followUp.addIntro')}</p>
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action="/report/follow-up/add" novalidate autocomplete="off">
        <CsrfField view={view} />
        <input type="hidden" name="receipt" value={receipt} />
        <TextAreaField view={view} name="account" label={t('reports.followUp.account')} hint={t('reports.form.accountHint')} value={account} errors={errors} />
        <IdentifierRows view={view} rows={identifiers} count={identifierRows} errors={errors} />
        <p class="actions">
          <button type="submit" class="button">
            {t('reports.followUp.addSubmit')}
          </button>
        </p>
      </form>
    </>
  );
}
