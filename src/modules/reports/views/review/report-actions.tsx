/** The forms a coordinator uses on a report; each offered only when its transition is allowed from the current status. */
import type { FieldErrors } from '../../../../core/outcome.ts';
import { CsrfField, Field, SubmitButton } from '../../../../core/views/form.tsx';
import { SelectField, TextAreaField } from '../../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../../core/views/view-context.ts';
import type { ReviewView } from '../../review-access.ts';
import { mayDo, MAX_CONDITIONS_LENGTH, MAX_NOTE_LENGTH, MAX_SUMMARY_LENGTH } from '../../review.ts';
import { PRIORITIES } from '../../tables.ts';

export type ActionValues = Record<string, string | undefined>;

interface Props {
  view: ViewContext;
  report: ReviewView;
  errors?: FieldErrors | undefined;
  values?: ActionValues | undefined;
  warnings?: { kind: string; match: string }[] | undefined;
}

function ButtonForm({ view, action, label, hidden = {} }: { view: ViewContext; action: string; label: string; hidden?: Record<string, string> }) {
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

function DecisionForm({ view, base, action, field, errors, values }: { view: ViewContext; base: string; action: 'reject' | 'close' | 'reopen'; field: string; errors?: FieldErrors | undefined; values: ActionValues }) {
  const { t } = view;
  const heading = `action-${action}`;
  return (
    <form method="post" action={`${base}/${action}`} aria-labelledby={heading}>
      <h3 id={heading}>{t(`reports.review.actions.${action}`)}</h3>
      <CsrfField view={view} />
      <TextAreaField view={view} name={field} label={t(`reports.review.actions.decisionNote${action[0]!.toUpperCase()}${action.slice(1)}`)} value={values[field]} errors={errors} maxLength={MAX_NOTE_LENGTH} />
      <SubmitButton>{t(`reports.review.actions.${action}`)}</SubmitButton>
    </form>
  );
}

function GradeForm({ view, base, report, errors, values, warnings }: Props & { base: string; values: ActionValues }) {
  const { t } = view;
  const grade = report.grade;
  const value = (field: string, current: string | number | null | undefined) => values[field] ?? (current === null || current === undefined ? undefined : String(current));
  return (
    <form method="post" action={`${base}/grade`} aria-labelledby="action-grade" novalidate>
      <h3 id="action-grade">{t('reports.review.actions.grade')}</h3>
      <CsrfField view={view} />
      <SelectField view={view} name="source" label={t('reports.review.actions.source')} required blank="" value={value('source', grade?.source)} errors={errors} options={['1', '2', '3'].map((s) => ({ value: s, label: t(`reports.review.sources.${s}`) }))} />
      <SelectField view={view} name="assessment" label={t('reports.review.actions.assessment')} required blank="" value={value('assessment', grade?.assessment)} errors={errors} options={['A', 'B', 'C', 'D', 'E'].map((a) => ({ value: a, label: t(`reports.review.assessments.${a}`) }))} />
      <SelectField view={view} name="handling" label={t('reports.review.actions.handling')} required blank="" value={value('handling', grade?.handling)} errors={errors} options={['P', 'C'].map((h) => ({ value: h, label: t(`reports.review.handlings.${h}`) }))} />
      <TextAreaField view={view} name="conditions" label={t('reports.review.actions.conditions')} hint={t('reports.review.actions.conditionsHint')} value={value('conditions', grade?.conditions)} errors={errors} maxLength={MAX_CONDITIONS_LENGTH} />
      <SelectField view={view} name="priority" label={t('reports.review.actions.priority')} required blank="" value={value('priority', grade?.priority)} errors={errors} options={PRIORITIES.map((p) => ({ value: p, label: t(`reports.review.priorities.${p}`) }))} />
      <TextAreaField view={view} name="summary" label={t('reports.review.actions.summary')} hint={t('reports.review.actions.summaryHint')} value={value('summary', grade?.summary)} errors={errors} required maxLength={MAX_SUMMARY_LENGTH} />
      {warnings && warnings.length > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="grade-warnings">
          <h4 id="grade-warnings">{t('reports.review.actions.warningsTitle')}</h4>
          <p>{t('reports.review.actions.warningsIntro')}</p>
          <ul>
            {warnings.map((warning) => (
              <li key={`${warning.kind}:${warning.match}`}>
                {t(`reports.review.warningKinds.${warning.kind}`)}: <code>{warning.match}</code>
              </li>
            ))}
          </ul>
          <div class="checkbox">
            <input type="checkbox" id="field-acknowledgeWarnings" name="acknowledgeWarnings" value="true" />
            <label for="field-acknowledgeWarnings">{t('reports.review.actions.acknowledge')}</label>
          </div>
        </div>
      )}
      <SubmitButton>{t('reports.review.actions.saveGrade')}</SubmitButton>
    </form>
  );
}

export function ReportActions(props: Props) {
  const { view, report, errors } = props;
  const { t } = view;
  const values = props.values ?? {};
  const base = `/reports/${report.id}`;
  const self = view.actor.kind === 'user' ? view.actor.userId : '';
  return (
    <section aria-labelledby="report-actions">
      <h2 id="report-actions">{t('reports.review.actions.title')}</h2>
      <p>
        {mayDo('triage', report.status) && <ButtonForm view={view} action={`${base}/triage`} label={t('reports.review.actions.triage')} />}{' '}
        {report.assignedTo === self ? (
          <ButtonForm view={view} action={`${base}/assign`} label={t('reports.review.actions.unassign')} hidden={{ assignee: '' }} />
        ) : (
          <ButtonForm view={view} action={`${base}/assign`} label={t('reports.review.actions.assignMe')} hidden={{ assignee: 'me' }} />
        )}
      </p>

      {mayDo('grade', report.status) && <GradeForm {...props} base={base} values={values} />}

      <form method="post" action={`${base}/notes`} aria-labelledby="action-note">
        <h3 id="action-note">{t('reports.review.actions.note')}</h3>
        <CsrfField view={view} />
        <TextAreaField view={view} name="note" label={t('reports.review.actions.note')} hint={t('reports.review.actions.noteHint')} value={values.note} errors={errors} maxLength={MAX_NOTE_LENGTH} />
        <SubmitButton>{t('reports.review.actions.addNote')}</SubmitButton>
      </form>

      {mayDo('merge', report.status) && (
        <form method="post" action={`${base}/merge`} aria-labelledby="action-merge">
          <h3 id="action-merge">{t('reports.review.actions.merge')}</h3>
          <CsrfField view={view} />
          <Field view={view} name="target" label={t('reports.review.actions.target')} hint={t('reports.review.actions.targetHint')} value={values.target} errors={errors} maxLength={64} />
          <SubmitButton>{t('reports.review.actions.saveMerge')}</SubmitButton>
        </form>
      )}
      {mayDo('reject', report.status) && <DecisionForm view={view} base={base} action="reject" field="rejectNote" errors={errors} values={values} />}
      {mayDo('close', report.status) && <DecisionForm view={view} base={base} action="close" field="closeNote" errors={errors} values={values} />}
      {mayDo('reopen', report.status) && <DecisionForm view={view} base={base} action="reopen" field="reopenNote" errors={errors} values={values} />}
    </section>
  );
}
