/** The traffik-free chocolate guide: brands with independently certified cocoa, by country, with the campaign countdown. */
import { countryList, countryName } from '../../../core/countries.ts';
import { SubmitButton } from '../../../core/views/form.tsx';
import { SelectField } from '../../../core/views/form-controls.tsx';
import type { FieldErrors } from '../../../core/outcome.ts';
import { ErrorSummary } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { GuidePage as GuideData } from '../scorecard.ts';
import { CampaignLinks, Countdown } from './parts.tsx';

export function GuidePage({ view, data, errors }: { view: ViewContext; data: GuideData; errors?: FieldErrors | undefined }) {
  const { t } = view;
  return (
    <section>
      <h1>{t('chocolate.guide.title')}</h1>
      {data.campaign && <Countdown view={view} campaign={data.campaign} />}
      <p>{t('chocolate.guide.intro')}</p>
      <CampaignLinks view={view} />
      <ErrorSummary view={view} errors={errors} />
      <form method="get" action="/chocolate/guide" class="search">
        <SelectField view={view} name="country" label={t('chocolate.guide.where')} blank={t('chocolate.scorecard.anyCountry')} value={data.country} errors={errors} options={countryList(view.lang).map((c) => ({ value: c.code, label: c.name }))} />
        <SubmitButton>{t('chocolate.scorecard.apply')}</SubmitButton>
      </form>
      {data.countries.length === 0 ? (
        <p class="hint empty-state">{t('chocolate.guide.empty')}</p>
      ) : (
        data.countries.map((group) => (
          <section key={group.country} aria-labelledby={`guide-${group.country}`}>
            <h2 id={`guide-${group.country}`}>{countryName(group.country, view.lang)}</h2>
            <ul class="guide">
              {group.entries.map((e) => (
                <li key={e.brand}>
                  <strong>{e.website ? <a href={e.website} rel="noopener noreferrer external">{e.brand}</a> : e.brand}</strong> — {t(`chocolate.certifications.${e.certification}`)}
                  {e.company && (
                    <>
                      {' '}
                      (<a href={`/chocolate/companies/${e.company}`}>{e.companyName}</a>)
                    </>
                  )}
                  {e.note && <span class="hint"> {e.note}</span>}
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </section>
  );
}
