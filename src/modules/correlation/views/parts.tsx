/** Pieces the correlation pages share: a linked report's line, reasons in words, a one-button form. */
import { CsrfField, SubmitButton } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { LinkedReport, ShownReason } from '../links.ts';

export function reasonText(view: ViewContext, reason: ShownReason): string {
  const { t } = view;
  switch (reason.method) {
    case 'exact':
      return t('correlation.reasons.exact', { kind: t(`correlation.kinds.${reason.kind}`), tag: reason.identifier });
    case 'fuzzy':
      return t('correlation.reasons.fuzzy', { field: t(`correlation.fields.${reason.field}`), score: reason.dice.toFixed(2) });
    case 'place-time':
      return t(`correlation.reasons.placeTime.${reason.near}`, { placeType: reason.placeType, count: reason.days });
  }
}

export function ReportLine({ view, report }: { view: ViewContext; report: LinkedReport }) {
  const { t } = view;
  return (
    <span>
      {report.access === 'reviewer' ? <a href={`/reports/${report.id}`}>{report.reference}</a> : <strong>{report.reference}</strong>}
      {' — '}
      {report.group ? report.group.name : t('correlation.nationalInbox', { country: report.country })}
      {', '}
      {report.observedFrom ?? report.receivedOn}
      {report.placeType ? `, ${report.placeType}` : ''}
      {report.grade ? `, ${report.grade}` : ''}
      {report.access === 'connection' && <em> ({t('correlation.throughConnection')})</em>}
    </span>
  );
}

export function ButtonForm({ view, action, label, hidden = {} }: { view: ViewContext; action: string; label: string; hidden?: Record<string, string> }) {
  return (
    <form method="post" action={action} class="inline-form">
      <CsrfField view={view} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton>{label}</SubmitButton>
    </form>
  );
}

export function Notice({ text }: { text: string | undefined }) {
  return text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null;
}
