/** Editors' pages: set a grade, import and export CSV, record commitments and their events, review held messages. */
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import { SelectField, TextAreaField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import { COLUMNS, DATASETS } from '../editor-data.ts';
import type { Kind } from '../editing.ts';
import type { HeldRequest } from '../review.ts';
import { COMMITMENT_STATUSES, GRADES, type Commitment } from '../scorecard.ts';

type Values = Record<string, string | undefined>;

export interface ManageProps {
  view: ViewContext;
  /** Every record editors can change one by one, with its key. */
  lists: {
    companies: { slug: string; name: string }[];
    criteria: { slug: string; name: string }[];
    guide: { id: string; brand: string; country: string }[];
    campaigns: { slug: string; title: string; active: boolean }[];
  };
  companies: { slug: string; name: string }[];
  criteria: { slug: string; name: string }[];
  commitments: Commitment[];
  notice?: string | undefined;
  /** Which form the errors and values belong to. */
  form?: 'assessment' | 'import' | 'commitment' | `event-${string}` | undefined;
  errors?: FieldErrors | undefined;
  values?: Values | undefined;
}

export function ManagePage(props: ManageProps) {
  const { view, form, errors, values = {} } = props;
  const { t } = view;
  const own = (name: ManageProps['form']) => (form === name ? { errors, values } : { errors: undefined, values: {} as Values });
  const assessment = own('assessment');
  const csv = own('import');
  const commitment = own('commitment');
  return (
    <section>
      <h1>{t('chocolate.manage.title')}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <p>
        <a href="/chocolate/manage/held">{t('chocolate.held.title')}</a>
      </p>

      <Records view={view} lists={props.lists} />

      <h2 id="assessment">{t('chocolate.manage.assessment')}</h2>
      <ErrorSummary view={view} errors={assessment.errors} />
      <form method="post" action="/chocolate/manage/assessments" novalidate class="narrow">
        <CsrfField view={view} />
        <SelectField view={view} name="company" label={t('chocolate.fields.company')} blank="" value={assessment.values.company} errors={assessment.errors} options={props.companies.map((c) => ({ value: c.slug, label: c.name }))} />
        <SelectField view={view} name="criterion" label={t('chocolate.fields.criterion')} value={assessment.values.criterion} errors={assessment.errors} options={props.criteria.map((k) => ({ value: k.slug, label: k.name }))} />
        <Field view={view} name="year" label={t('chocolate.fields.year')} value={assessment.values.year ?? String(new Date().getUTCFullYear())} errors={assessment.errors} inputmode="numeric" maxLength={4} required />
        <SelectField view={view} name="grade" label={t('chocolate.fields.grade')} value={assessment.values.grade} errors={assessment.errors} options={GRADES.map((g) => ({ value: g, label: `${g} — ${t(`chocolate.grades.${g}`)}` }))} />
        <Field view={view} name="sourceUrl" label={t('chocolate.fields.sourceUrl')} value={assessment.values.sourceUrl} errors={assessment.errors} maxLength={500} required />
        <TextAreaField view={view} name="note" label={t('chocolate.fields.note')} value={assessment.values.note} errors={assessment.errors} maxLength={2000} />
        <SubmitButton>{t('chocolate.manage.saveAssessment')}</SubmitButton>
      </form>

      <h2 id="import">{t('chocolate.manage.csv')}</h2>
      <p>{t('chocolate.manage.csvIntro')}</p>
      <ul>
        {DATASETS.map((d) => (
          <li key={d}>
            <a href={`/chocolate/manage/export/${d}`} download={`chocolate-${d}.csv`}>
              {t('chocolate.manage.export', { dataset: t(`chocolate.datasets.${d}`) })}
            </a>{' '}
            — <code>{COLUMNS[d].join(',')}</code>
          </li>
        ))}
      </ul>
      <ErrorSummary view={view} errors={csv.errors} />
      <form method="post" action="/chocolate/manage/import" novalidate>
        <CsrfField view={view} />
        <SelectField view={view} name="dataset" label={t('chocolate.manage.dataset')} value={csv.values.dataset} errors={csv.errors} options={DATASETS.map((d) => ({ value: d, label: t(`chocolate.datasets.${d}`) }))} />
        <TextAreaField view={view} name="csv" label={t('chocolate.manage.csvText')} hint={t('chocolate.manage.csvHint')} value={csv.values.csv} errors={csv.errors} />
        <SubmitButton>{t('chocolate.manage.import')}</SubmitButton>
      </form>

      <h2 id="commitment">{t('chocolate.manage.commitment')}</h2>
      <ErrorSummary view={view} errors={commitment.errors} />
      <form method="post" action="/chocolate/manage/commitments" novalidate class="narrow">
        <CsrfField view={view} />
        <Field view={view} name="title" label={t('chocolate.fields.title')} value={commitment.values.title} errors={commitment.errors} maxLength={200} required />
        <Field view={view} name="slug" label={t('chocolate.fields.slug')} hint={t('chocolate.fields.slugHint')} value={commitment.values.slug} errors={commitment.errors} maxLength={80} required />
        <TextAreaField view={view} name="text" label={t('chocolate.fields.text')} value={commitment.values.text} errors={commitment.errors} maxLength={4000} required />
        <Field view={view} name="madeBy" label={t('chocolate.fields.madeBy')} value={commitment.values.madeBy} errors={commitment.errors} maxLength={300} required />
        <SelectField view={view} name="company" label={t('chocolate.fields.company')} blank={t('chocolate.manage.noCompany')} value={commitment.values.company} errors={commitment.errors} options={props.companies.map((c) => ({ value: c.slug, label: c.name }))} />
        <Field view={view} name="madeOn" label={t('chocolate.fields.madeOn')} hint={t('chocolate.fields.dateHint')} value={commitment.values.madeOn} errors={commitment.errors} maxLength={10} required />
        <Field view={view} name="deadline" label={t('chocolate.fields.deadline')} hint={t('chocolate.fields.dateHint')} value={commitment.values.deadline} errors={commitment.errors} maxLength={10} />
        <SelectField view={view} name="status" label={t('chocolate.fields.status')} value={commitment.values.status} errors={commitment.errors} options={COMMITMENT_STATUSES.map((s) => ({ value: s, label: t(`chocolate.statuses.${s}`) }))} />
        <Field view={view} name="sourceUrl" label={t('chocolate.fields.sourceUrl')} value={commitment.values.sourceUrl} errors={commitment.errors} maxLength={500} required />
        <SubmitButton>{t('chocolate.manage.addCommitment')}</SubmitButton>
      </form>

      <h2>{t('chocolate.manage.events')}</h2>
      {props.commitments.map((m) => {
        const mine = own(`event-${m.id}`);
        return (
          <details key={m.id} open={form === `event-${m.id}`}>
            <summary>
              {m.title} — {t(`chocolate.statuses.${m.status}`)}
            </summary>
            <p>
              <a href={`/chocolate/manage/commitments/${m.id}`}>{t('chocolate.edit.change', { name: m.title })}</a>
            </p>
            <ErrorSummary view={view} errors={mine.errors} />
            <form method="post" action={`/chocolate/manage/commitments/${m.id}/events`} novalidate class="narrow">
              <CsrfField view={view} />
              <SelectField view={view} name="kind" label={t('chocolate.fields.eventKind')} value={mine.values.kind} errors={mine.errors} options={['finding', 'extension'].map((k) => ({ value: k, label: t(`chocolate.eventKinds.${k}`) }))} />
              <Field view={view} name="on" label={t('chocolate.fields.on')} hint={t('chocolate.fields.dateHint')} value={mine.values.on} errors={mine.errors} maxLength={10} required />
              <Field view={view} name="newDeadline" label={t('chocolate.fields.newDeadline')} hint={t('chocolate.fields.dateHint')} value={mine.values.newDeadline} errors={mine.errors} maxLength={10} />
              <TextAreaField view={view} name="summary" label={t('chocolate.fields.summary')} value={mine.values.summary} errors={mine.errors} maxLength={4000} required />
              <Field view={view} name="sourceUrl" label={t('chocolate.fields.sourceUrl')} value={mine.values.sourceUrl} errors={mine.errors} maxLength={500} required />
              <SelectField view={view} name="status" label={t('chocolate.fields.newStatus')} blank={t('chocolate.manage.keepStatus')} value={mine.values.status} errors={mine.errors} options={COMMITMENT_STATUSES.map((s) => ({ value: s, label: t(`chocolate.statuses.${s}`) }))} />
              <SubmitButton>{t('chocolate.manage.addEvent')}</SubmitButton>
            </form>
          </details>
        );
      })}
    </section>
  );
}

/** Lists of companies, criteria, guide entries and campaigns, each with a link to its form and one to add another. */
function Records({ view, lists }: { view: ViewContext; lists: ManageProps['lists'] }) {
  const { t } = view;
  const sections: { kind: Kind; items: { key: string; label: string }[] }[] = [
    { kind: 'companies', items: lists.companies.map((c) => ({ key: c.slug, label: c.name })) },
    { kind: 'criteria', items: lists.criteria.map((k) => ({ key: k.slug, label: k.name })) },
    { kind: 'guide', items: lists.guide.map((g) => ({ key: g.id, label: `${g.brand} (${g.country})` })) },
    { kind: 'campaigns', items: lists.campaigns.map((k) => ({ key: k.slug, label: k.active ? `${k.title} — ${t('chocolate.edit.active')}` : k.title })) },
  ];
  return (
    <>
      <h2>{t('chocolate.manage.records')}</h2>
      {sections.map(({ kind, items }) => (
        <details key={kind} id={kind}>
          <summary>{t(`chocolate.manage.kinds.${kind}`, { count: items.length })}</summary>
          <p>
            <a href={`/chocolate/manage/${kind}/new`}>{t(`chocolate.edit.add.${kind}`)}</a>
          </p>
          {items.length > 0 && (
            <ul class="columns">
              {items.map((item) => (
                <li key={item.key}>
                  <a href={`/chocolate/manage/${kind}/${item.key}`}>{item.label}</a>
                </li>
              ))}
            </ul>
          )}
        </details>
      ))}
    </>
  );
}

export function HeldPage({ view, held }: { view: ViewContext; held: HeldRequest[] }) {
  const { t } = view;
  return (
    <section>
      <h1>{t('chocolate.held.title')}</h1>
      <p>{t('chocolate.held.intro')}</p>
      {held.length === 0 ? (
        <p class="hint empty-state">{t('chocolate.held.empty')}</p>
      ) : (
        <ol class="held">
          {held.map((h) => (
            <li key={h.id}>
              <h2>{h.subject}</h2>
              <p class="hint">{t('chocolate.held.from', { name: h.name, companies: h.companies.join(', ') })}</p>
              <blockquote class="message-preview">
                {h.message.split(/\n{2,}/).map((para, i) => (
                  <p key={i}>{para}</p>
                ))}
              </blockquote>
              <form method="post" action={`/chocolate/manage/held/${h.id}`} class="inline">
                <CsrfField view={view} />
                <button type="submit" class="button" name="decision" value="send">
                  {t('chocolate.held.send')}
                </button>{' '}
                <button type="submit" class="button secondary" name="decision" value="reject">
                  {t('chocolate.held.reject')}
                </button>
              </form>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
