/**
 * Following up with a receipt code: a form that asks for the code (posted, never in an address), and
 * the status page with a form to add information, which carries the code in a hidden field.
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
        <dt>{t('reports.followUp.additions')}</dt>
        <dd>{report.additions}</dd>
      </dl>
      <p>{t(`reports.followUp.statusMeaning.${report.status}`)}</p>

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
    </section>
  );
}
