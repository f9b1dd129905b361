/** Accessible form parts: every field has a label, and an error is tied to its field. */
import type { ComponentChildren } from 'preact';
import type { FieldErrors } from '../outcome.ts';
import type { ViewContext } from './view-context.ts';

export function CsrfField({ view }: { view: ViewContext }) {
  return <input type="hidden" name="_csrf" value={view.csrfToken} />;
}

export function ErrorSummary({ view, errors }: { view: ViewContext; errors: FieldErrors | undefined }) {
  const entries = Object.entries(errors ?? {});
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{view.t('errors.summaryTitle')}</h2>
      <ul>
        {entries.map(([field, key]) => (
          <li key={field}>
            <a href={`#field-${field}`}>{view.t(key)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  view: ViewContext;
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value?: string | undefined;
  errors?: FieldErrors | undefined;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  inputmode?: 'numeric' | 'email' | 'text';
  maxLength?: number;
  /** `data-*` attributes for a client island to find the input by (e.g. `data-map-lat` for the map picker). */
  data?: Record<`data-${string}`, string>;
}

export function Field({ view, name, label, type = 'text', value, errors, hint, autocomplete, required, inputmode, maxLength, data }: FieldProps) {
  const id = `field-${name}`;
  const error = errors?.[name];
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  // Built as a plain object: Preact's input typings tie each `type` to its own attribute set.
  const inputAttributes: Record<string, unknown> = {
    id,
    name,
    type,
    value: type === 'password' ? undefined : value,
    autocomplete,
    required,
    inputMode: inputmode,
    maxLength,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': described || undefined,
    ...data,
  };
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
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
      <input {...inputAttributes} />
    </div>
  );
}

export function SubmitButton({ children }: { children: ComponentChildren }) {
  return (
    <button type="submit" class="button">
      {children}
    </button>
  );
}
