/** Outcome pages: a group's summary (counts only) and national totals by country and month. */
import type { ViewContext } from '../../../core/views/view-context.ts';
import { countryName } from '../../../core/countries.ts';
import type { GroupOutcomeSummary, OutcomeTotals } from '../outcomes.ts';
import { OUTCOME_KINDS } from '../tables.ts';

export function GroupOutcomesPage({ view, summary }: { view: ViewContext; summary: GroupOutcomeSummary }) {
  const { t } = view;
  return (
    <section>
      <h1>{t('sharing.outcomes.groupTitle', { group: summary.group.name })}</h1>
      <p>{t('sharing.outcomes.groupIntro')}</p>
      <dl class="summary outcome-summary">
        <dt>{t('sharing.outcomes.disclosuresSent')}</dt>
        <dd>{summary.disclosuresSent}</dd>
        <dt>{t('sharing.outcomes.disclosuresAcknowledged')}</dt>
        <dd>{summary.disclosuresAcknowledged}</dd>
        {OUTCOME_KINDS.map((kind) => (
          <>
            <dt>{t(`sharing.outcomeKinds.${kind}`)}</dt>
            <dd data-outcome={kind}>{summary.outcomes[kind]}</dd>
          </>
        ))}
        <dt>{t('sharing.outcomes.victimsIdentified')}</dt>
        <dd>{summary.victimsIdentified}</dd>
        <dt>{t('sharing.outcomes.arrests')}</dt>
        <dd>{summary.arrests}</dd>
      </dl>
    </section>
  );
}

export function NationalOutcomesPage({ view, totals }: { view: ViewContext; totals: OutcomeTotals }) {
  const { t } = view;
  return (
    <section>
      <h1>{t('sharing.outcomes.nationalTitle')}</h1>
      {totals.countries.map((country) => (
        <table key={country.country}>
          <caption>{countryName(country.country, view.lang)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('sharing.fields.month')}</th>
              {OUTCOME_KINDS.map((kind) => (
                <th scope="col" key={kind}>
                  {t(`sharing.outcomeKinds.${kind}`)}
                </th>
              ))}
              <th scope="col">{t('sharing.outcomes.victimsIdentified')}</th>
              <th scope="col">{t('sharing.outcomes.arrests')}</th>
            </tr>
          </thead>
          <tbody>
            {country.months.length === 0 && (
              <tr>
                <td colSpan={OUTCOME_KINDS.length + 3}>{t('sharing.outcomes.none')}</td>
              </tr>
            )}
            {country.months.map((month) => (
              <tr key={month.month}>
                <th scope="row">{month.month}</th>
                {OUTCOME_KINDS.map((kind) => (
                  <td key={kind}>{month.outcomes[kind]}</td>
                ))}
                <td>{month.victimsIdentified}</td>
                <td>{month.arrests}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}
