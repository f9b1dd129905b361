/**
 * The islands that look after what CAST keeps on a person's device (web/islands: quick-exit,
 * report-offline, report-draft, leave-no-trace), with their text. Every reporting page includes
 * DeviceIslands (with its quick-exit link, reports' safety.tsx), as does /leave-no-trace; the report
 * form also includes ReportDraftIsland and LeaveNoTraceControl. Other pages carry no script at all.
 */
import { hasAsset } from '../http/assets.ts';
import { CsrfField } from './form.tsx';
import { Island } from './island.tsx';
import type { ViewContext } from './view-context.ts';

const OFFLINE_TEXT = ['offline', 'offlineExplain', 'queue', 'notNow', 'queued', 'sent', 'receiptIntro', 'receiptOnce', 'refused', 'refusedElsewhere', 'openForm'];
const DRAFT_TEXT = ['legend', 'keepLabel', 'keepHint', 'exitLabel', 'exitHint', 'restored'];

/** Data attributes are kebab-case; the island reads them back as camelCase from its dataset. */
const kebab = (key: string) => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
const texts = (view: ViewContext, prefix: string, keys: string[]) => Object.fromEntries(keys.map((key) => [kebab(key), view.t(`${prefix}.${key}`)]));

/** Quick exit (every page may have the link) and sending reports that wait on the device. */
export function DeviceIslands({ view }: { view: ViewContext }) {
  // Assets are built before the server listens; a view rendered outside a server has no islands.
  if (!hasAsset('quick-exit.js')) return null;
  return (
    <>
      <Island name="quick-exit" />
      <Island name="report-offline" data={texts(view, 'pwa.offline', OFFLINE_TEXT)} />
    </>
  );
}

/** For the report form: the opt-in draft kept on this device. */
export function ReportDraftIsland({ view }: { view: ViewContext }) {
  return <Island name="report-draft" data={texts(view, 'pwa.draft', DRAFT_TEXT)} />;
}

/**
 * The "Leave no trace" button: a form that works without JavaScript (the server answers with
 * Clear-Site-Data), enhanced by web/islands/leave-no-trace.ts to clear the device itself.
 */
export function LeaveNoTraceControl({ view, neutralUrl }: { view: ViewContext; neutralUrl?: string }) {
  return (
    <form method="post" action="/leave-no-trace" class="leave-no-trace" data-leave-no-trace data-neutral={neutralUrl}>
      <CsrfField view={view} />
      <button type="submit" class="link-button" aria-describedby="leave-no-trace-hint">
        {view.t('pwa.leaveNoTrace.button')}
      </button>
      <p class="hint" id="leave-no-trace-hint">
        {view.t('pwa.leaveNoTrace.hint')}
      </p>
      <Island name="leave-no-trace" />
    </form>
  );
}
