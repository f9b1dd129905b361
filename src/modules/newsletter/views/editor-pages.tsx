/** Pages for editors: the editions, one edition's editor with its preview, test-send, schedule, send and progress. */
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import { CheckboxesField, TextAreaField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { EditionView } from '../editions.ts';
import type { EditionRow, Progress } from '../store.ts';
import { BODY_MAX, SUBJECT_MAX } from '../editions.ts';

type Values = Record<string, string | string[] | undefined>;
const text = (values: Values | undefined, name: string) => (typeof values?.[name] === 'string' ? (values[name]) : undefined);
const when = (value: Date | string | null) => (value ? new Date(value).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : '');

function EditionForm({ view, action, lists, values, errors, submit }: { view: ViewContext; action: string; lists: { key: string; subscribers: number }[]; values?: Values | undefined; errors?: FieldErrors | undefined; submit: string }) {
  const chosen = values ? ([] as string[]).concat(values.lists ?? []) : [];
  return (
    <form method="post" action={action} novalidate>
      <CsrfField view={view} />
      <Field view={view} name="subject" label={view.t('newsletter.editor.subject')} maxLength={SUBJECT_MAX} required value={text(values, 'subject')} errors={errors} />
      <TextAreaField view={view} name="body" label={view.t('newsletter.editor.body')} hint={view.t('newsletter.editor.bodyHint')} maxLength={BODY_MAX} required value={text(values, 'body')} errors={errors} />
      <CheckboxesField
        view={view}
        name="lists"
        label={view.t('newsletter.editor.lists')}
        options={lists.map((l) => ({ value: l.key, label: view.t('newsletter.editor.listOption', { name: view.t(`newsletter.lists.${l.key}.name`), count: l.subscribers }) }))}
        values={chosen}
        errors={errors}
      />
      <SubmitButton>{submit}</SubmitButton>
    </form>
  );
}

export function EditionsPage({ view, editions, listCounts, values, errors }: { view: ViewContext; editions: EditionRow[]; listCounts: { key: string; subscribers: number }[]; values?: Values; errors?: FieldErrors }) {
  return (
    <section>
      <h1>{view.t('newsletter.editor.title')}</h1>
      {editions.length === 0 ? (
        <p>{view.t('newsletter.editor.none')}</p>
      ) : (
        <table>
          <caption>{view.t('newsletter.editor.editions')}</caption>
          <thead>
            <tr>
              <th scope="col">{view.t('newsletter.editor.subject')}</th>
              <th scope="col">{view.t('newsletter.editor.status')}</th>
              <th scope="col">{view.t('newsletter.editor.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {editions.map((e) => (
              <tr key={e.id}>
                <td>
                  <a href={`/newsletter/editions/${e.id}`}>{e.subject}</a>
                </td>
                <td>{view.t(`newsletter.status.${e.status}`)}</td>
                <td>{when(e.updated_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{view.t('newsletter.editor.new')}</h2>
      <ErrorSummary view={view} errors={errors} />
      <EditionForm view={view} action="/newsletter/editions" lists={listCounts} values={values} errors={errors} submit={view.t('newsletter.editor.create')} />
    </section>
  );
}

function ProgressTable({ view, progress }: { view: ViewContext; progress: Progress }) {
  const total = Object.values(progress).reduce((sum, n) => sum + n, 0);
  const done = total - progress.pending - progress.sending;
  return (
    <>
      <p>
        <progress max={total || 1} value={done} aria-label={view.t('newsletter.editor.progress')}>
          {done}/{total}
        </progress>{' '}
        {view.t('newsletter.editor.progressText', { done, total })}
      </p>
      <table>
        <caption>{view.t('newsletter.editor.progress')}</caption>
        <tbody>
          {(Object.keys(progress) as (keyof Progress)[]).map((status) => (
            <tr key={status}>
              <th scope="row">{view.t(`newsletter.delivery.${status}`)}</th>
              <td>{progress[status]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function EditionPage({ view, seen, notice, values, errors, scheduleErrors }: { view: ViewContext; seen: EditionView; notice?: string | undefined; values?: Values; errors?: FieldErrors; scheduleErrors?: FieldErrors }) {
  const e = seen.edition;
  const editable = e.status === 'draft' || e.status === 'scheduled';
  const base = `/newsletter/editions/${e.id}`;
  return (
    <section>
      <p>
        <a href="/newsletter/editions">{view.t('newsletter.editor.back')}</a>
      </p>
      <h1>{e.subject}</h1>
      {notice && (
        <p class="notice" role="status">
          {view.t(notice)}
        </p>
      )}
      <p>
        {view.t('newsletter.editor.status')}: <strong>{view.t(`newsletter.status.${e.status}`)}</strong>
        {e.scheduled_for && e.status === 'scheduled' ? ` — ${view.t('newsletter.editor.scheduledFor', { at: when(e.scheduled_for) })}` : ''}
      </p>
      {e.status !== 'draft' && e.status !== 'scheduled' && <ProgressTable view={view} progress={seen.progress} />}

      <h2>{view.t('newsletter.editor.preview')}</h2>
      {/* markdown-it with raw HTML off: the editor's text is escaped, links limited to http(s) and mailto. */}
      <article class="edition-preview" dangerouslySetInnerHTML={{ __html: seen.bodyHtml }} />

      {editable && (
        <>
          <h2>{view.t('newsletter.editor.send')}</h2>
          <form method="post" action={`${base}/test`}>
            <CsrfField view={view} />
            <button type="submit" class="button secondary">
              {view.t('newsletter.editor.testSend')}
            </button>
          </form>
          <ErrorSummary view={view} errors={scheduleErrors} />
          <form method="post" action={`${base}/schedule`} novalidate>
            <CsrfField view={view} />
            <div class={scheduleErrors?.at ? 'field field-error' : 'field'}>
              <label for="field-at">{view.t('newsletter.editor.at')}</label>
              <p class="hint" id="field-at-hint">
                {view.t('newsletter.editor.atHint')}
              </p>
              {scheduleErrors?.at && (
                <p class="error" id="field-at-error">
                  {view.t(scheduleErrors.at)}
                </p>
              )}
              <input type="datetime-local" id="field-at" name="at" aria-describedby={scheduleErrors?.at ? 'field-at-hint field-at-error' : 'field-at-hint'} />
            </div>
            <button type="submit" class="button secondary">
              {view.t('newsletter.editor.schedule')}
            </button>
          </form>
          <form method="post" action={`${base}/send`}>
            <CsrfField view={view} />
            <button type="submit" class="button">
              {view.t('newsletter.editor.sendNow')}
            </button>
          </form>

          <h2>{view.t('newsletter.editor.edit')}</h2>
          <ErrorSummary view={view} errors={errors} />
          <EditionForm view={view} action={base} lists={seen.listCounts} values={values ?? { subject: e.subject, body: e.body_markdown, lists: e.lists }} errors={errors} submit={view.t('newsletter.editor.save')} />
        </>
      )}
    </section>
  );
}
