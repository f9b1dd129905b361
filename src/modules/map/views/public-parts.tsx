/** What the public map page and its table view share: the explanation, the filters and the legend. */
import type { FieldErrors } from '../../../core/outcome.ts';
import { ErrorSummary, SubmitButton } from '../../../core/views/form.tsx';
import { SelectField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';

export interface PublicFilters {
  type: string | undefined;
  year: string | undefined;
}

export interface PublicPageProps {
  view: ViewContext;
  filters: PublicFilters;
  errors?: FieldErrors | undefined;
  /** Type ids with their labels in the reader's language. */
  types: { value: string; label: string }[];
  years: number[];
  k: number;
  delayDays: number;
  receivedUpTo: string | undefined;
}

/** A query string for the public pages, leaving out what is empty. */
export function publicQuery(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function PublicIntro({ view, k, delayDays, receivedUpTo }: Pick<PublicPageProps, 'view' | 'k' | 'delayDays' | 'receivedUpTo'>) {
  const { t } = view;
  return (
    <>
      <p>{t('map.public.intro')}</p>
      <p>{t('map.public.protection', { k, delay: delayDays })}</p>
      <p>{receivedUpTo ? t('map.public.upTo', { date: receivedUpTo }) : t('map.public.notYet')}</p>
    </>
  );
}

export function PublicFilterForm({ view, action, filters, errors, types, years, keep = {} }: Pick<PublicPageProps, 'view' | 'filters' | 'errors' | 'types' | 'years'> & { action: string; /** Hidden values carried over (the table's area). */ keep?: Record<string, string | undefined> }) {
  const { t } = view;
  return (
    <>
      <ErrorSummary view={view} errors={errors} />
      <form method="get" action={action} class="public-map-filters">
        {Object.entries(keep).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
        <SelectField view={view} name="type" label={t('map.public.type')} blank={t('map.public.allTypes')} value={filters.type} errors={errors} options={types} />
        <SelectField
          view={view}
          name="year"
          label={t('map.public.year')}
          blank={t('map.public.allYears')}
          value={filters.year}
          errors={errors}
          options={years.map((y) => ({ value: String(y), label: String(y) }))}
        />
        <SubmitButton>{t('map.public.show')}</SubmitButton>
      </form>
    </>
  );
}

/** The colour classes, each a range of counts; the island colours hexagons with the same classes. */
export function Legend({ view, bounds }: { view: ViewContext; bounds: number[] }) {
  const { t } = view;
  return (
    <figure class="public-map-legend">
      <figcaption>{t('map.public.legend')}</figcaption>
      <ul>
        {bounds.map((low, index) => {
          const next = bounds[index + 1];
          return (
            <li key={low}>
              <span class={`public-map-swatch public-map-class-${index + 1}`} aria-hidden="true" />{' '}
              {next === undefined ? t('map.public.rangeOpen', { low }) : t('map.public.range', { low, high: next - 1 })}
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
