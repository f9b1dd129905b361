/** Editors' pages: every declaration, and the form that creates or changes one (a text per language). */
import { LANGUAGES } from '../../../core/i18n.ts';
import type { FieldErrors } from '../../../core/outcome.ts';
import { DateField, TextAreaField } from '../../../core/views/form-controls.tsx';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { EditableDeclaration } from '../service.ts';

export type DeclarationFormValues = Record<string, string | undefined>;

const day = (d: Date | string | null) => (d ? new Date(d).toISOString().slice(0, 10) : '');

export function valuesOf(declaration: EditableDeclaration): DeclarationFormValues {
  const values: DeclarationFormValues = { slug: declaration.row.slug, opensOn: day(declaration.row.opens_at), closesOn: day(declaration.row.closes_at) };
  for (const text of declaration.texts) {
    values[`title_${text.language}`] = text.title;
    values[`summary_${text.language}`] = text.summary;
    values[`body_${text.language}`] = text.body;
  }
  return values;
}

export function ManageListPage({ view, declarations, notice, canModerate }: { view: ViewContext; declarations: EditableDeclaration[]; notice?: string | undefined; canModerate: boolean }) {
  const { t } = view;
  return (
    <section>
      <h1>{t('declaration.manage.title')}</h1>
      {notice && (
        <p class="notice" role="status">
          {t(notice)}
        </p>
      )}
      <p class="actions">
        <a class="button" href="/declarations/manage/new">
          {t('declaration.manage.new')}
        </a>
        {canModerate && <a href="/declarations/moderation">{t('declaration.moderation.title')}</a>}
      </p>
      <table>
        <caption>{t('declaration.manage.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('declaration.manage.slug')}</th>
            <th scope="col">{t('declaration.manage.languages')}</th>
            <th scope="col">{t('declaration.manage.opensOn')}</th>
            <th scope="col">{t('declaration.manage.closesOn')}</th>
          </tr>
        </thead>
        <tbody>
          {declarations.map((d) => (
            <tr key={d.row.id}>
              <td>
                <a href={`/declarations/manage/${d.row.id}`}>{d.row.slug}</a>
              </td>
              <td>{d.texts.map((x) => x.language).join(', ')}</td>
              <td>{day(d.row.opens_at)}</td>
              <td>{day(d.row.closes_at) || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function EditPage({ view, id, values, errors }: { view: ViewContext; id: string | undefined; values: DeclarationFormValues; errors?: FieldErrors | undefined }) {
  const { t } = view;
  return (
    <section>
      <h1>{t(id ? 'declaration.manage.edit' : 'declaration.manage.new')}</h1>
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action={id ? `/declarations/manage/${id}` : '/declarations/manage'}>
        <CsrfField view={view} />
        <Field view={view} name="slug" label={t('declaration.manage.slug')} hint={t('declaration.manage.slugHint')} value={values.slug} errors={errors} required maxLength={60} />
        <DateField view={view} name="opensOn" label={t('declaration.manage.opensOn')} value={values.opensOn} errors={errors} required />
        <DateField view={view} name="closesOn" label={t('declaration.manage.closesOn')} hint={t('declaration.manage.closesHint')} value={values.closesOn} errors={errors} />
        {LANGUAGES.map((lang) => (
          <fieldset key={lang}>
            <legend>{t('declaration.manage.textIn', { language: t(`languages.${lang}`) })}</legend>
            <Field view={view} name={`title_${lang}`} label={t('declaration.manage.textTitle')} value={values[`title_${lang}`]} errors={errors} maxLength={200} />
            <TextAreaField view={view} name={`summary_${lang}`} label={t('declaration.manage.summary')} value={values[`summary_${lang}`]} errors={errors} maxLength={1000} />
            <TextAreaField view={view} name={`body_${lang}`} label={t('declaration.manage.body')} hint={t('declaration.manage.bodyHint')} value={values[`body_${lang}`]} errors={errors} maxLength={20000} />
          </fieldset>
        ))}
        <SubmitButton>{t('declaration.manage.save')}</SubmitButton>
      </form>
    </section>
  );
}
