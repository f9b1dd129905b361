/** The public directory of listed groups, the signed-in person's own groups, and the form to start one. */
import { countryList, countryName } from '../../../core/countries.ts';
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { PublicGroup } from '../service.ts';
import { Empty, type Values } from './parts.tsx';
import { SelectField, TextAreaField } from '../../../core/views/form-controls.tsx';
import { MapPickerIsland } from '../../../core/views/island.tsx';

export interface DirectoryProps {
  view: ViewContext;
  groups: PublicGroup[];
  count: number;
  countExact: boolean;
  /** The cursor of the next page, or null on the last. */
  next: string | null;
  firstPage: boolean;
  q: string | undefined;
  country: string | undefined;
  errors?: FieldErrors | undefined;
  yours: { id: string; name: string; locality: string; role: string }[] | undefined;
}

function pageLink(q: string | undefined, country: string | undefined, after: string | undefined): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (country) params.set('country', country);
  if (after) params.set('after', after);
  const query = params.toString();
  return query ? `/groups?${query}` : '/groups';
}

export function DirectoryPage(props: DirectoryProps) {
  const { view, groups } = props;
  const { t } = view;
  return (
    <section>
      <h1>{t('groups.directory.title')}</h1>
      <p>{t('groups.directory.intro')}</p>
      {props.yours ? (
        <>
          <p>
            <a class="button" href="/groups/new">
              {t('groups.new.title')}
            </a>
          </p>
          <h2>{t('groups.directory.yours')}</h2>
          {props.yours.length === 0 ? (
            <Empty>{t('groups.directory.yoursEmpty')}</Empty>
          ) : (
            <ul>
              {props.yours.map((group) => (
                <li key={group.id}>
                  <a href={`/groups/${group.id}`}>{group.name}</a> — {group.locality} ({t(`groups.roles.${group.role}`)})
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <p>
          <a href="/signin?next=%2Fgroups">{t('groups.directory.signInToStart')}</a>
        </p>
      )}
      <h2>{t('groups.directory.find')}</h2>
      <ErrorSummary view={view} errors={props.errors} />
      <form method="get" action="/groups" class="search">
        <Field view={view} name="q" label={t('groups.directory.place')} value={props.q} maxLength={100} />
        <SelectField
          view={view}
          name="country"
          label={t('groups.fields.country')}
          blank={t('groups.directory.anyCountry')}
          value={props.country}
          errors={props.errors}
          options={countryList(view.lang).map((c) => ({ value: c.code, label: c.name }))}
        />
        <SubmitButton>{t('groups.directory.search')}</SubmitButton>
      </form>
      <p role="status">{t(props.countExact ? 'groups.directory.count' : 'groups.directory.countOver', { count: props.count })}</p>
      {groups.length === 0 ? (
        <Empty>{t('groups.directory.empty')}</Empty>
      ) : (
        <ul class="group-list">
          {groups.map((group) => (
            <li key={group.id}>
              <a href={`/groups/${group.id}`}>{group.name}</a> — {t(`groups.kinds.${group.kind}`)}, {group.locality}, {countryName(group.country, view.lang)}
            </li>
          ))}
        </ul>
      )}
      {(!props.firstPage || props.next) && (
        <nav aria-label={t('groups.directory.pages')} class="pagination">
          {!props.firstPage && <a href={pageLink(props.q, props.country, undefined)}>{t('groups.directory.first')}</a>}{' '}
          {props.next && <a href={pageLink(props.q, props.country, props.next)}>{t('groups.directory.next')}</a>}
        </nav>
      )}
    </section>
  );
}

export function NewGroupPage({ view, errors, values = {} }: { view: ViewContext; errors?: FieldErrors | undefined; values?: Values }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('groups.new.title')}</h1>
      <p>{t('groups.new.intro')}</p>
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action="/groups" novalidate>
        <CsrfField view={view} />
        <Field view={view} name="name" label={t('groups.fields.name')} value={values.name} errors={errors} required maxLength={120} />
        <SelectField view={view} name="kind" label={t('groups.fields.kind')} value={values.kind} errors={errors} options={['school', 'community', 'faith', 'business', 'neighbourhood', 'other'].map((k) => ({ value: k, label: t(`groups.kinds.${k}`) }))} />
        <SelectField view={view} name="country" label={t('groups.fields.country')} value={values.country} errors={errors} blank="" options={countryList(view.lang).map((c) => ({ value: c.code, label: c.name }))} />
        <Field view={view} name="locality" label={t('groups.fields.locality')} hint={t('groups.fields.localityHint')} value={values.locality} errors={errors} required maxLength={120} />
        <fieldset data-map-picker="">
          <legend>{t('groups.fields.area')}</legend>
          <p class="hint">{t('groups.fields.areaHint')}</p>
          <Field view={view} name="lat" label={t('groups.fields.lat')} value={values.lat} errors={errors} required inputmode="text" maxLength={32} data={{ 'data-map-lat': '' }} />
          <Field view={view} name="lon" label={t('groups.fields.lon')} value={values.lon} errors={errors} required inputmode="text" maxLength={32} data={{ 'data-map-lon': '' }} />
          <Field view={view} name="radiusKm" label={t('groups.fields.radiusKm')} hint={t('groups.fields.radiusHint')} value={values.radiusKm} errors={errors} required inputmode="text" maxLength={32} data={{ 'data-map-radius-km': '' }} />
          <TextAreaField view={view} name="boundary" label={t('groups.fields.boundary')} hint={t('groups.fields.boundaryHint')} value={values.boundary} errors={errors} maxLength={100_000} data={{ 'data-map-boundary': '' }} />
        </fieldset>
        <SubmitButton>{t('groups.new.submit')}</SubmitButton>
      </form>
      <MapPickerIsland view={view} />
    </section>
  );
}
