/**
 * Parts of the reporting forms that core/views/form-controls.tsx does not have: checkboxes that
 * each carry a plain-language description, repeatable identifier rows and repeatable country
 * selects. Ids follow the core convention (`field-<name>`) so the error summary links to them.
 */
import type { ComponentChildren } from 'preact';
import type { FieldErrors } from '../../../../core/outcome.ts';
import type { ViewContext } from '../../../../core/views/view-context.ts';
import type { IdentifierRow } from '../../form-input.ts';
import { IDENTIFIER_KINDS } from '../../tables.ts';

export function ErrorText({ view, id, error }: { view: ViewContext; id: string; error: string | undefined }) {
  return error ? (
    <p class="error" id={id}>
      {view.t(error)}
    </p>
  ) : null;
}

/** A fieldset whose error (when any) sits under its legend and describes the whole group. */
export function Group({ view, name, legend, hint, errors, children }: { view: ViewContext; name: string; legend: string; hint?: string | undefined; errors: FieldErrors | undefined; children: ComponentChildren }) {
  const id = `field-${name}`;
  const error = errors?.[name];
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset id={id} class={error ? 'field field-error' : 'field'} aria-describedby={described}>
      <legend>{legend}</legend>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <ErrorText view={view} id={`${id}-error`} error={error} />
      {children}
    </fieldset>
  );
}

/** Checkboxes sharing one name, each with its own description read out with it (aria-describedby). */
export function DescribedCheckboxes({ name, idPrefix, options, values }: { name: string; idPrefix: string; options: readonly { id: string; label: string; description: string }[]; values: readonly string[] }) {
  return (
    <>
      {options.map((option) => {
        const id = `${idPrefix}-${option.id.replace(/\./g, '-')}`;
        return (
          <div class="checkbox" key={option.id}>
            <input type="checkbox" id={id} name={name} value={option.id} checked={values.includes(option.id)} aria-describedby={`${id}-hint`} />
            <div>
              <label for={id}>{option.label}</label>
              <p class="hint" id={`${id}-hint`}>
                {option.description}
              </p>
            </div>
          </div>
        );
      })}
    </>
  );
}

/** Rows of "kind + value"; the form shows at least `count` rows so a person without JavaScript has room. */
export function IdentifierRows({ view, rows, count, errors }: { view: ViewContext; rows: readonly IdentifierRow[]; count: number; errors: FieldErrors | undefined }) {
  const { t } = view;
  const shown = [...rows, ...Array.from({ length: Math.max(0, count - rows.length) }, () => ({ kind: '', value: '' }))];
  return (
    <Group view={view} name="identifiers" legend={t('reports.form.identifiers')} hint={t('reports.form.identifiersHint')} errors={errors}>
      {shown.map((row, i) => (
        <div class="identifier-row" key={i}>
          <div class="field">
            <label for={`field-identifierKind-${i}`}>{t('reports.form.identifierKind', { n: i + 1 })}</label>
            <select id={`field-identifierKind-${i}`} name="identifierKind">
              <option value="">{t('reports.form.identifierKindBlank')}</option>
              {IDENTIFIER_KINDS.map((kind) => (
                <option key={kind} value={kind} selected={row.kind === kind}>
                  {t(`reports.form.identifierKinds.${kind}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for={`field-identifierValue-${i}`}>{t('reports.form.identifierValue', { n: i + 1 })}</label>
            <input type="text" id={`field-identifierValue-${i}`} name="identifierValue" value={row.value} maxLength={500} autocomplete="off" />
          </div>
        </div>
      ))}
      <p>
        <button type="submit" name="more" value="rows" class="link-button" formnovalidate>
          {t('reports.form.moreRows')}
        </button>
      </p>
    </Group>
  );
}

/** Rows of names heard or seen; at least `count` rows, so a person without JavaScript has room. */
export function NameRows({ view, names, count, errors }: { view: ViewContext; names: readonly string[]; count: number; errors: FieldErrors | undefined }) {
  const { t } = view;
  const shown = [...names, ...Array.from({ length: Math.max(0, count - names.length) }, () => '')];
  return (
    <Group view={view} name="names" legend={t('reports.form.names')} hint={t('reports.form.namesHint')} errors={errors}>
      {shown.map((name, i) => (
        <div class="field" key={i}>
          <label for={`field-names-${i}`}>{t('reports.form.nameValue', { n: i + 1 })}</label>
          <input type="text" id={`field-names-${i}`} name="names" value={name} maxLength={200} autocomplete="off" />
        </div>
      ))}
      <p>
        <button type="submit" name="more" value="names" class="link-button" formnovalidate>
          {t('reports.form.moreNameRows')}
        </button>
      </p>
    </Group>
  );
}

/** One select per chosen country plus empty ones, all under one name (a repeatable select). */
export function CountrySelects({ view, name, legend, values, count, errors, countries }: { view: ViewContext; name: string; legend: string; values: readonly string[]; count: number; errors: FieldErrors | undefined; countries: readonly { code: string; name: string }[] }) {
  const { t } = view;
  const shown = [...values, ...Array.from({ length: Math.max(0, count - values.length) }, () => '')];
  return (
    <Group view={view} name={name} legend={legend} errors={errors}>
      {shown.map((value, i) => (
        <div class="field" key={i}>
          <label for={`field-${name}-${i}`}>{t('reports.form.routeCountry', { n: i + 1 })}</label>
          <select id={`field-${name}-${i}`} name={name}>
            <option value="">{t('reports.form.countryBlank')}</option>
            {countries.map((country) => (
              <option key={country.code} value={country.code} selected={country.code === value}>
                {country.name}
              </option>
            ))}
          </select>
        </div>
      ))}
    </Group>
  );
}
