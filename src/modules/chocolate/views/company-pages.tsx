/** A company's page (grades year by year with sources, its commitments) and the commitments tracker. */
import { countryName } from '../../../core/countries.ts';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { Commitment, CompanyPage as CompanyData } from '../scorecard.ts';
import { CampaignLinks, formatDay, GradeScale, SourceLink } from './parts.tsx';

export function CommitmentList({ view, commitments }: { view: ViewContext; commitments: Commitment[] }) {
  const { t } = view;
  return (
    <ol class="commitments">
      {commitments.map((m) => (
        <li key={m.id} id={m.slug}>
          <h3>{m.title}</h3>
          <p>
            <strong class={`status status-${m.status}`}>{t(`chocolate.statuses.${m.status}`)}</strong>
            {m.deadline && <> — {t('chocolate.commitments.deadline', { date: formatDay(view, m.deadline) })}</>}
          </p>
          <p>{m.text}</p>
          <p class="hint">
            {t('chocolate.commitments.madeBy', { who: m.madeBy, date: formatDay(view, m.madeOn) })} <SourceLink view={view} href={m.sourceUrl} />
          </p>
          {m.events.length > 0 && (
            <>
              <h4>{t('chocolate.commitments.timeline')}</h4>
              <ul class="timeline">
                {m.events.map((e, i) => (
                  <li key={i}>
                    <strong>{formatDay(view, e.on)}</strong> — {t(`chocolate.eventKinds.${e.kind}`)}
                    {e.newDeadline && <> ({t('chocolate.commitments.newDeadline', { date: formatDay(view, e.newDeadline) })})</>}: {e.summary} <SourceLink view={view} href={e.sourceUrl} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </li>
      ))}
    </ol>
  );
}

export function CommitmentsPage({ view, commitments }: { view: ViewContext; commitments: Commitment[] }) {
  const { t } = view;
  return (
    <section>
      <h1>{t('chocolate.commitments.title')}</h1>
      <p>{t('chocolate.commitments.intro')}</p>
      <CampaignLinks view={view} />
      {commitments.length === 0 ? <p class="hint empty-state">{t('chocolate.commitments.empty')}</p> : <CommitmentList view={view} commitments={commitments} />}
    </section>
  );
}

export function CompanyPage({ view, data }: { view: ViewContext; data: CompanyData }) {
  const { t } = view;
  const { company } = data;
  return (
    <section>
      <h1>{company.name}</h1>
      <CampaignLinks view={view} />
      <dl class="facts">
        <dt>{t('chocolate.fields.country')}</dt>
        <dd>{countryName(company.country, view.lang)}</dd>
        {company.parentCompany && (
          <>
            <dt>{t('chocolate.fields.parentCompany')}</dt>
            <dd>{company.parentCompany}</dd>
          </>
        )}
        {company.brands.length > 0 && (
          <>
            <dt>{t('chocolate.fields.brands')}</dt>
            <dd>{company.brands.join(', ')}</dd>
          </>
        )}
        {company.website && (
          <>
            <dt>{t('chocolate.fields.website')}</dt>
            <dd>
              <a href={company.website} rel="noopener noreferrer external">
                {company.website}
              </a>
            </dd>
          </>
        )}
      </dl>
      <p>
        <a class="button" href={`/chocolate/action?company=${company.slug}`}>
          {t('chocolate.company.write', { company: company.name })}
        </a>
      </p>
      <h2>{t('chocolate.company.history')}</h2>
      <GradeScale view={view} />
      {data.history.length === 0 ? (
        <p class="hint empty-state">{t('chocolate.company.noGrades')}</p>
      ) : (
        <div class="table-scroll" tabindex={0} role="region" aria-labelledby="history-caption">
          <table class="scorecard">
            <caption id="history-caption">{t('chocolate.company.historyCaption', { company: company.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('chocolate.fields.year')}</th>
                {data.criteria.map((k) => (
                  <th scope="col" key={k.slug}>
                    {k.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.history.map((row) => (
                <tr key={row.year}>
                  <th scope="row">{row.year}</th>
                  {data.criteria.map((k) => {
                    const cell = row.grades[k.slug];
                    return cell ? (
                      <td key={k.slug} class={`grade grade-${cell.grade}`}>
                        <abbr title={t(`chocolate.grades.${cell.grade}`)}>{cell.grade}</abbr> <SourceLink view={view} href={cell.sourceUrl} />
                        {cell.note && <div class="hint">{cell.note}</div>}
                      </td>
                    ) : (
                      <td key={k.slug} class="grade grade-none">
                        {t('chocolate.grades.none')}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('chocolate.company.commitments')}</h2>
      {data.commitments.length === 0 ? <p class="hint empty-state">{t('chocolate.company.noCommitments')}</p> : <CommitmentList view={view} commitments={data.commitments} />}
    </section>
  );
}
