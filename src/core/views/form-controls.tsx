/** Select lists, text areas, checkboxes and dates, with the same label, hint and error wiring as Field in form.tsx. */
import type { FieldErrors } from '../outcome.ts';
import type { ViewContext } from './view-context.ts';

interface Common {
  view: ViewContext;
  name: string;
  label: string;
  errors?: FieldErrors | undefined;
  hint?: string | undefined;
}

function described(id: string, hint: string | undefined, error: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

function Notes({ view, id, hint, error }: { view: ViewContext; id: string; hint: string | undefined; error: string | undefined }) {
  return (
    <>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error" id={`${id}-error`}>
          {view.t(error)}
        </p>
      )}
    </>
  );
}

export function SelectField({ view, name, label, errors, hint, options, value, required, blank }: Common & { options: { value: string; label: string }[]; value?: string | undefined; required?: boolean; /** Text of an empty first choice; none when absent. */ blank?: string | undefined }) {
  const id = `field-${name}`;
  const error = errors?.[name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      <Notes view={view} id={id} hint={hint} error={error} />
      <select id={id} name={name} required={required} aria-invalid={error ? 'true' : undefined} aria-describedby={described(id, hint, error)}>
        {blank !== undefined && <option value="">{blank}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value} selected={option.value === value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TextAreaField({ view, name, label, errors, hint, value, maxLength, required, data }: Common & { value?: string | undefined; maxLength?: number; required?: boolean; /** `data-*` attributes for a client island. */ data?: Record<`data-${string}`, string> }) {
  const id = `field-${name}`;
  const error = errors?.[name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      <Notes view={view} id={id} hint={hint} error={error} />
      <textarea id={id} name={name} rows={4} maxLength={maxLength} required={required} aria-invalid={error ? 'true' : undefined} aria-describedby={described(id, hint, error)} {...data}>
        {value ?? ''}
      </textarea>
    </div>
  );
}

export function CheckboxesField({ view, name, label, errors, hint, options, values }: Common & { options: { value: string; label: string }[]; values: readonly string[] }) {
  const id = `field-${name}`;
  const error = errors?.[name];
  return (
    <fieldset id={id} class={error ? 'field field-error' : 'field'} aria-describedby={described(id, hint, error)}>
      <legend>{label}</legend>
      <Notes view={view} id={id} hint={hint} error={error} />
      {options.map((option) => (
        <div class="checkbox" key={option.value}>
          <input type="checkbox" id={`${id}-${option.value}`} name={name} value={option.value} checked={values.includes(option.value)} />
          <label for={`${id}-${option.value}`}>{option.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

export function DateField({ view, name, label, errors, hint, value, max, required }: Common & { value?: string | undefined; max?: string; required?: boolean }) {
  const id = `field-${name}`;
  const error = errors?.[name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      <Notes view={view} id={id} hint={hint} error={error} />
      <input type="date" id={id} name={name} value={value} max={max} required={required} aria-invalid={error ? 'true' : undefined} aria-describedby={described(id, hint, error)} />
    </div>
  );
}
