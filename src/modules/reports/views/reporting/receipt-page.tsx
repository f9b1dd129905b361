/** The page shown once, in answer to the report itself: the receipt code, and what it is for. */
import type { ViewContext } from '../../../../core/views/view-context.ts';
import type { Receipt } from '../../submission.ts';
import { QuickExit } from './safety.tsx';

export function ReceiptPage({ view, receipt, quickExitUrl }: { view: ViewContext; receipt: Receipt; quickExitUrl: string }) {
  const { t } = view;
  return (
    <section class="narrow">
      <QuickExit view={view} url={quickExitUrl} />
      <h1>{t('reports.receipt.title')}</h1>
      <p class="notice" role="status">
        {t('reports.receipt.thanks')}
      </p>
      <h2 id="receipt-code-title">{t('reports.receipt.codeTitle')}</h2>
      {/* Grouped in fours with dashes; the follow-up form accepts it with or without them. */}
      <p class="receipt-code" aria-labelledby="receipt-code-title">
        <code class="token" data-receipt-code="">
          {receipt.receiptCode}
        </code>
      </p>
      <p>
        <strong>{t('reports.receipt.shownOnce')}</strong>
      </p>
      <p>{t('reports.receipt.allows')}</p>
      <h2>{t('reports.receipt.keepTitle')}</h2>
      <p>{t('reports.receipt.keepSafe')}</p>
      <p>{t('reports.receipt.orNot')}</p>
      <h2>{t('reports.receipt.nextTitle')}</h2>
      <p>{t('reports.receipt.next')}</p>
      <dl class="summary">
        <dt>{t('reports.receipt.reference')}</dt>
        <dd>{receipt.reference}</dd>
        <dt>{t('reports.followUp.status')}</dt>
        <dd>{t(`reports.statuses.${receipt.status}`)}</dd>
      </dl>
      <p class="hint">{t('reports.receipt.referenceHint')}</p>
      <p class="actions">
        <a href="/report/follow-up">{t('reports.receipt.followUpLink')}</a>
        <a href="/">{t('reports.receipt.home')}</a>
      </p>
    </section>
  );
}
