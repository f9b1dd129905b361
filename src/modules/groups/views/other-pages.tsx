/** The invitation page, the national coordinators' page, and plain messages. */
import { countryName } from '../../../core/countries.ts';
import { CsrfField, SubmitButton } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { MemberGroup } from '../service.ts';
import { Empty, TotalsTables, type TotalsData } from './parts.tsx';

export function InvitationPage({ view, token, groupName, role, signedIn }: { view: ViewContext; token: string; groupName: string; role: string; signedIn: boolean }) {
  const { t } = view;
  const path = `/groups/invitations/${token}`;
  return (
    <section class="narrow">
      <h1>{t('groups.invitation.title')}</h1>
      <p>{t('groups.invitation.intro', { group: groupName, role: t(`groups.roles.${role}`) })}</p>
      {signedIn ? (
        <form method="post" action={path}>
          <CsrfField view={view} />
          <SubmitButton>{t('groups.invitation.accept')}</SubmitButton>
        </form>
      ) : (
        <p>
          <a class="button" href={`/signin?next=${encodeURIComponent(path)}`}>
            {t('groups.invitation.signIn')}
          </a>{' '}
          <a href="/signup">{t('nav.signUp')}</a>
        </p>
      )}
    </section>
  );
}

export function NationalPage({ view, country, groups, pendingListing, totals }: { view: ViewContext; country: string; groups: MemberGroup[]; pendingListing: MemberGroup[]; totals: TotalsData }) {
  const { t } = view;
  return (
    <section>
      <h1>{t('groups.national.title', { country: countryName(country, view.lang) })}</h1>
      <h2>{t('groups.national.pending')}</h2>
      {pendingListing.length === 0 ? (
        <Empty>{t('groups.national.pendingEmpty')}</Empty>
      ) : (
        <ul>
          {pendingListing.map((group) => (
            <li key={group.id}>
              <a href={`/groups/${group.id}`}>{group.name}</a> — {group.locality}{' '}
              <form method="post" action={`/groups/${group.id}/listing`} class="inline-form">
                <CsrfField view={view} />
                <button type="submit" class="link-button">
                  {t('groups.listing.approve')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('groups.national.groups')}</h2>
      {groups.length === 0 ? (
        <Empty>{t('groups.national.groupsEmpty')}</Empty>
      ) : (
        <ul>
          {groups.map((group) => (
            <li key={group.id}>
              <a href={`/groups/${group.id}`}>{group.name}</a> — {t(`groups.kinds.${group.kind}`)}, {group.locality} ({t(group.listed ? 'groups.home.listed' : 'groups.home.unlisted')})
            </li>
          ))}
        </ul>
      )}
      <h2>{t('groups.national.totals')}</h2>
      <TotalsTables view={view} totals={totals} />
    </section>
  );
}
