/** Small view parts shared by the groups pages: select lists, text areas, empty states, totals. */
import type { FieldErrors } from '../../../core/outcome.ts';
import type { ViewContext } from '../../../core/views/view-context.ts';

export type Values = Record<string, string | undefined>;

export function Select(props: { view: ViewContext; name: string; label: string; options: { value: string; label: string }[]; value?: string | undefined; errors?: FieldErrors | undefined; blank?: string }) {
  const id = `field-${props.name}`;
  const error = props.errors?.[props.name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{props.label}</label>
      {error && (
        <p class="error" id={`${id}-error`}>
          {props.view.t(error)}
        </p>
      )}
      <select id={id} name={props.name} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        {props.blank !== undefined && <option value="">{props.blank}</option>}
        {props.options.map((option) => (
          <option key={option.value} value={option.value} selected={option.value === props.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TextArea(props: { view: ViewContext; name: string; label: string; hint?: string; value?: string | undefined; errors?: FieldErrors | undefined; maxLength: number }) {
  const id = `field-${props.name}`;
  const error = props.errors?.[props.name];
  const described = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="error" id={`${id}-error`}>
          {props.view.t(error)}
        </p>
      )}
      <textarea id={id} name={props.name} rows={4} maxLength={props.maxLength} aria-invalid={error ? 'true' : undefined} aria-describedby={described || undefined}>
        {props.value ?? ''}
      </textarea>
    </div>
  );
}

export function Empty({ children }: { children: string }) {
  return <p class="hint empty-state">{children}</p>;
}

export interface TotalsData {
  activities: number;
  peopleReached: number;
  byAudience: { audience: string; activities: number; peopleReached: number }[];
  byMonth: { month: string; activities: number; peopleReached: number }[];
}

export function TotalsTables({ view, totals }: { view: ViewContext; totals: TotalsData }) {
  const { t } = view;
  const number = (value: number) => value.toLocaleString(view.lang);
  return (
    <div class="totals">
      <p>{t('groups.totals.summary', { activities: number(totals.activities), people: number(totals.peopleReached) })}</p>
      {totals.activities > 0 && (
        <>
          <table>
            <caption>{t('groups.totals.byAudience')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('groups.fields.audience')}</th>
                <th scope="col">{t('groups.totals.activities')}</th>
                <th scope="col">{t('groups.fields.peopleReached')}</th>
              </tr>
            </thead>
            <tbody>
              {totals.byAudience.map((row) => (
                <tr key={row.audience}>
                  <th scope="row">{t(`groups.audiences.${row.audience}`)}</th>
                  <td>{number(row.activities)}</td>
                  <td>{number(row.peopleReached)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table>
            <caption>{t('groups.totals.byMonth')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('groups.totals.month')}</th>
                <th scope="col">{t('groups.totals.activities')}</th>
                <th scope="col">{t('groups.fields.peopleReached')}</th>
              </tr>
            </thead>
            <tbody>
              {totals.byMonth.map((row) => (
                <tr key={row.month}>
                  <th scope="row">{row.month}</th>
                  <td>{number(row.activities)}</td>
                  <td>{number(row.peopleReached)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
