/** Small view parts shared by the groups pages: empty states and totals. */
import type { ViewContext } from '../../../core/views/view-context.ts';

export type Values = Record<string, string | undefined>;

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
