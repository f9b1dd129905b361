/** Editors' forms for one record: a company, a criterion, a guide entry, a campaign, or a commitment's own fields. */
import { countryList } from '../../../core/countries.ts';
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import { CheckboxesField, SelectField, TextAreaField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { Kind, Values } from '../editing.ts';
import { CERTIFICATIONS, COMMITMENT_STATUSES } from '../scorecard.ts';

type Control =
  | { name: string; label: string; type: 'text'; hint?: string | undefined; maxLength: number; required?: boolean; inputmode?: 'numeric' | 'email' }
  | { name: string; label: string; type: 'area'; hint?: string | undefined; maxLength: number; required?: boolean }
  | { name: string; label: string; type: 'select'; hint?: string | undefined; options: { value: string; label: string }[]; blank?: string }
  | { name: string; label: string; type: 'check'; hint?: string | undefined; option: string };

export interface EditProps {
  view: ViewContext;
  kind: Kind;
  /** The record's key (slug or id) when it exists; undefined for a new one. */
  recordKey?: string | undefined;
  values: Values;
  errors?: FieldErrors | undefined;
  companies: { slug: string; name: string }[];
}

function controls(view: ViewContext, kind: Kind, companies: { slug: string; name: string }[]): Control[] {
  const { t } = view;
  const countries = countryList(view.lang).map((c) => ({ value: c.code, label: c.name }));
  const slug: Control = { name: 'slug', label: t('chocolate.fields.slug'), hint: t('chocolate.fields.slugHint'), type: 'text', maxLength: 80, required: true };
  const website: Control = { name: 'website', label: t('chocolate.fields.website'), type: 'text', maxLength: 500 };
  switch (kind) {
    case 'companies':
      return [
        slug,
        { name: 'name', label: t('chocolate.fields.name'), type: 'text', maxLength: 120, required: true },
        { name: 'country', label: t('chocolate.fields.country'), type: 'select', blank: '', options: countries },
        { name: 'brands', label: t('chocolate.fields.brands'), hint: t('chocolate.fields.brandsHint'), type: 'text', maxLength: 12_000 },
        { name: 'parent_company', label: t('chocolate.fields.parentCompany'), type: 'text', maxLength: 120 },
        { name: 'contact_email', label: t('chocolate.fields.contactEmail'), hint: t('chocolate.fields.contactEmailHint'), type: 'text', maxLength: 254, inputmode: 'email' },
        website,
        { name: 'suggested', label: t('chocolate.fields.suggested'), type: 'check', option: t('chocolate.fields.suggestedOption') },
      ];
    case 'criteria':
      return [
        slug,
        { name: 'name', label: t('chocolate.fields.name'), type: 'text', maxLength: 120, required: true },
        { name: 'description', label: t('chocolate.fields.description'), type: 'area', maxLength: 1000 },
        { name: 'position', label: t('chocolate.fields.position'), hint: t('chocolate.fields.positionHint'), type: 'text', maxLength: 7, inputmode: 'numeric' },
      ];
    case 'guide':
      return [
        { name: 'brand', label: t('chocolate.fields.brand'), type: 'text', maxLength: 120, required: true },
        { name: 'country', label: t('chocolate.fields.soldIn'), type: 'select', blank: '', options: countries },
        { name: 'certification', label: t('chocolate.fields.certification'), type: 'select', blank: '', options: CERTIFICATIONS.map((c) => ({ value: c, label: t(`chocolate.certifications.${c}`) })) },
        { name: 'company', label: t('chocolate.fields.company'), type: 'select', blank: t('chocolate.manage.noCompany'), options: companies.map((c) => ({ value: c.slug, label: c.name })) },
        { name: 'note', label: t('chocolate.fields.note'), type: 'area', maxLength: 1000 },
        website,
      ];
    case 'campaigns':
      return [
        slug,
        { name: 'title', label: t('chocolate.fields.title'), type: 'text', maxLength: 200, required: true },
        { name: 'deadline', label: t('chocolate.fields.deadline'), hint: t('chocolate.fields.dateHint'), type: 'text', maxLength: 10, required: true },
        { name: 'suggested_subject', label: t('chocolate.fields.suggestedSubject'), type: 'text', maxLength: 200, required: true },
        { name: 'suggested_message', label: t('chocolate.fields.suggestedMessage'), hint: t('chocolate.fields.suggestedMessageHint'), type: 'area', maxLength: 5000, required: true },
        { name: 'active', label: t('chocolate.fields.active'), type: 'check', option: t('chocolate.fields.activeOption') },
      ];
  }
}

function Controls({ view, list, values, errors }: { view: ViewContext; list: Control[]; values: Values; errors: FieldErrors | undefined }) {
  return (
    <>
      {list.map((c) => {
        if (c.type === 'text') return <Field key={c.name} view={view} name={c.name} label={c.label} hint={c.hint} value={values[c.name]} errors={errors} maxLength={c.maxLength} required={c.required} inputmode={c.inputmode} />;
        if (c.type === 'area') return <TextAreaField key={c.name} view={view} name={c.name} label={c.label} hint={c.hint} value={values[c.name]} errors={errors} maxLength={c.maxLength} required={c.required} />;
        if (c.type === 'select') return <SelectField key={c.name} view={view} name={c.name} label={c.label} hint={c.hint} blank={c.blank} value={values[c.name]} errors={errors} options={c.options} />;
        return <CheckboxesField key={c.name} view={view} name={c.name} label={c.label} hint={c.hint} errors={errors} options={[{ value: 'yes', label: c.option }]} values={values[c.name] === 'yes' ? ['yes'] : []} />;
      })}
    </>
  );
}

export const editPath = (kind: Kind, key?: string) => (key === undefined ? `/chocolate/manage/${kind}` : `/chocolate/manage/${kind}/${key}`);

export function EditPage({ view, kind, recordKey, values, errors, companies }: EditProps) {
  const { t } = view;
  // A slug names the record everywhere (links, CSV files): it is chosen once and then only shown.
  const list = controls(view, kind, companies).filter((c) => recordKey === undefined || c.name !== 'slug');
  const name = values.name ?? values.title ?? values.brand ?? recordKey ?? '';
  return (
    <section>
      <p>
        <a href="/chocolate/manage">{t('chocolate.manage.title')}</a>
      </p>
      <h1>{recordKey === undefined ? t(`chocolate.edit.add.${kind}`) : t('chocolate.edit.change', { name })}</h1>
      {recordKey !== undefined && kind !== 'guide' && (
        <p>
          {t('chocolate.fields.slug')}: <code>{recordKey}</code>
        </p>
      )}
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action={editPath(kind, recordKey)} novalidate class="narrow">
        <CsrfField view={view} />
        <Controls view={view} list={list} values={values} errors={errors} />
        <SubmitButton>{t('chocolate.edit.save')}</SubmitButton>
      </form>
      {kind === 'guide' && recordKey !== undefined && (
        <form method="post" action={`/chocolate/manage/guide/${recordKey}/delete`} class="inline">
          <CsrfField view={view} />
          <button type="submit" class="button secondary">
            {t('chocolate.edit.removeFromGuide')}
          </button>
        </form>
      )}
    </section>
  );
}

export function CommitmentEditPage({ view, id, slug, values, errors, companies }: { view: ViewContext; id: string; slug: string; values: Values; errors?: FieldErrors | undefined; companies: { slug: string; name: string }[] }) {
  const { t } = view;
  const list: Control[] = [
    { name: 'title', label: t('chocolate.fields.title'), type: 'text', maxLength: 200, required: true },
    { name: 'text', label: t('chocolate.fields.text'), type: 'area', maxLength: 4000, required: true },
    { name: 'madeBy', label: t('chocolate.fields.madeBy'), type: 'text', maxLength: 300, required: true },
    { name: 'company', label: t('chocolate.fields.company'), type: 'select', blank: t('chocolate.manage.noCompany'), options: companies.map((c) => ({ value: c.slug, label: c.name })) },
    { name: 'madeOn', label: t('chocolate.fields.madeOn'), hint: t('chocolate.fields.dateHint'), type: 'text', maxLength: 10, required: true },
    { name: 'deadline', label: t('chocolate.fields.deadline'), hint: t('chocolate.fields.dateHint'), type: 'text', maxLength: 10 },
    { name: 'status', label: t('chocolate.fields.status'), type: 'select', options: COMMITMENT_STATUSES.map((s) => ({ value: s, label: t(`chocolate.statuses.${s}`) })) },
    { name: 'sourceUrl', label: t('chocolate.fields.sourceUrl'), type: 'text', maxLength: 500, required: true },
  ];
  return (
    <section>
      <p>
        <a href="/chocolate/manage">{t('chocolate.manage.title')}</a>
      </p>
      <h1>{t('chocolate.edit.change', { name: values.title ?? slug })}</h1>
      <p>
        {t('chocolate.fields.slug')}: <code>{slug}</code>
      </p>
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action={`/chocolate/manage/commitments/${id}`} novalidate class="narrow">
        <CsrfField view={view} />
        <Controls view={view} list={list} values={values} errors={errors} />
        <SubmitButton>{t('chocolate.edit.save')}</SubmitButton>
      </form>
    </section>
  );
}
