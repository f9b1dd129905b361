/** Small parts shared by the chocolate pages: the grade scale, the countdown, links between the pages. */
import { Fragment } from 'preact';
import type { ViewContext } from '../../../core/views/view-context.ts';
import { GRADES } from '../scorecard.ts';

export function GradeScale({ view }: { view: ViewContext }) {
  return (
    <details class="grade-scale">
      <summary>{view.t('chocolate.grades.title')}</summary>
      <dl>
        {GRADES.map((g) => (
          <Fragment key={g}>
            <dt>{g}</dt>
            <dd>{view.t(`chocolate.grades.${g}`)}</dd>
          </Fragment>
        ))}
      </dl>
      <p class="hint">{view.t('chocolate.grades.methodology')}</p>
    </details>
  );
}

export function Countdown({ view, campaign }: { view: ViewContext; campaign: { title: string; deadline: string; daysLeft: number } }) {
  const date = formatDay(view, campaign.deadline);
  return (
    <p class="countdown">
      <strong>{view.t('chocolate.countdown.days', { count: campaign.daysLeft })}</strong> {view.t('chocolate.countdown.until', { campaign: campaign.title, date })}
    </p>
  );
}

export function CampaignLinks({ view }: { view: ViewContext }) {
  const { t } = view;
  const links: [string, string][] = [
    ['/chocolate', 'chocolate.scorecard.title'],
    ['/chocolate/commitments', 'chocolate.commitments.title'],
    ['/chocolate/guide', 'chocolate.guide.title'],
    ['/chocolate/action', 'chocolate.action.title'],
  ];
  return (
    <nav aria-label={t('chocolate.nav')} class="sub-nav">
      <ul>
        {links.map(([href, key]) => (
          <li key={href}>
            {view.path.split('?')[0] === href ? (
              <a href={href} aria-current="page">
                {t(key)}
              </a>
            ) : (
              <a href={href}>{t(key)}</a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function SourceLink({ view, href }: { view: ViewContext; href: string }) {
  return (
    <a href={href} rel="noopener noreferrer external">
      {view.t('chocolate.source')}
      <span class="visually-hidden"> ({new URL(href).hostname})</span>
    </a>
  );
}

/** A day as people write it: 28 March 2027, 28 mars 2027. */
export const formatDay = (view: ViewContext, day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString(view.lang === 'en' ? 'en-GB' : view.lang, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
