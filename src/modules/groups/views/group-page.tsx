/** A group's page: its home for members (activity, totals, management for coordinators), or its public card. */
import { countryName } from '../../../core/countries.ts';
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { MemberGroup, PublicGroup } from '../service.ts';
import { ACTIVITY_KINDS, AUDIENCES } from '../service.ts';
import { Empty, TotalsTables, type TotalsData, type Values } from './parts.tsx';
import { SelectField, TextAreaField } from '../../../core/views/form-controls.tsx';
import { packChoices, packTitle } from '../../packs/index.ts';

function ActionForm({ view, action, label, hidden = {} }: { view: ViewContext; action: string; label: string; hidden?: Record<string, string> }) {
  return (
    <form method="post" action={action} class="inline-form">
      <CsrfField view={view} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class="link-button">
        {label}
      </button>
    </form>
  );
}

/** The pack an activity used, linked to it; free text logged before packs existed is shown as it was. */
function ActionPackUsed({ view, value }: { view: ViewContext; value: string | null }) {
  if (!value) return null;
  const title = packTitle(value, view.lang);
  return title ? <a href={`/packs/${value}`}>{title}</a> : <>{value}</>;
}

export function PublicGroupPage({ view, group, pendingRequest, signedIn, errors }: { view: ViewContext; group: PublicGroup; pendingRequest: boolean; signedIn: boolean; errors?: FieldErrors | undefined }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{group.name}</h1>
      <p>
        {t(`groups.kinds.${group.kind}`)} — {group.locality}, {countryName(group.country, view.lang)}
      </p>
      {pendingRequest ? (
        <p class="notice" role="status">
          {t('groups.join.pending')}
        </p>
      ) : signedIn ? (
        <>
          <h2>{t('groups.join.title')}</h2>
          <ErrorSummary view={view} errors={errors} />
          <form method="post" action={`/groups/${group.id}/join-requests`} novalidate>
            <CsrfField view={view} />
            <TextAreaField view={view} name="message" label={t('groups.fields.message')} hint={t('groups.fields.messageHint')} errors={errors} maxLength={1000} />
            <SubmitButton>{t('groups.join.submit')}</SubmitButton>
          </form>
        </>
      ) : (
        <p>
          <a href={`/signin?next=${encodeURIComponent(`/groups/${group.id}`)}`}>{t('groups.join.signIn')}</a>
        </p>
      )}
    </section>
  );
}

export interface MemberRow {
  user_id: string;
  display_name: string;
  role: string;
}

export interface GroupHomeProps {
  view: ViewContext;
  group: MemberGroup;
  role: string | undefined;
  canManage: boolean;
  canLog: boolean;
  canApproveListing: boolean;
  activities: { id: string; occurred_on: string; kind: string; audience: string; people_reached: number; action_pack: string | null; notes: string | null }[];
  totals: TotalsData;
  management?: {
    members: MemberRow[];
    requests: { id: string; display_name: string; message: string | null }[];
    invitations: { id: string; email: string | null; role: string; expires_at: Date }[];
  } | undefined;
  notice?: string | undefined;
  errors?: FieldErrors | undefined;
  values?: Values;
  newLink?: string | undefined;
}

export function GroupHomePage(props: GroupHomeProps) {
  const { view, group, management } = props;
  const { t } = view;
  const base = `/groups/${group.id}`;
  const self = view.actor.kind === 'user' ? view.actor.userId : '';
  const values = props.values ?? {};
  return (
    <section>
      <h1>{group.name}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {t(props.notice)}
        </p>
      )}
      {props.newLink && (
        <div class="notice" role="status">
          <p>{t('groups.invite.linkReady')}</p>
          <p>
            <code class="invitation-link">{props.newLink}</code>
          </p>
        </div>
      )}
      <ErrorSummary view={view} errors={props.errors} />
      <dl class="summary">
        <dt>{t('groups.fields.kind')}</dt>
        <dd>{t(`groups.kinds.${group.kind}`)}</dd>
        <dt>{t('groups.fields.locality')}</dt>
        <dd>
          {group.locality}, {countryName(group.country, view.lang)}
        </dd>
        <dt>{t('groups.fields.area')}</dt>
        <dd>{t('groups.home.area', { lat: group.centre.lat, lon: group.centre.lon, radius: group.radiusKm })}</dd>
        <dt>{t('groups.home.listing')}</dt>
        <dd>{t(group.listed ? 'groups.home.listed' : group.listingRequested ? 'groups.home.listingRequested' : 'groups.home.unlisted')}</dd>
        {props.role && (
          <>
            <dt>{t('groups.home.yourRole')}</dt>
            <dd>{t(`groups.roles.${props.role}`)}</dd>
          </>
        )}
      </dl>
      {props.canApproveListing && group.listingRequested && <ActionForm view={view} action={`${base}/listing`} label={t('groups.listing.approve')} />}
      {props.role && props.role !== 'coordinator' && <ActionForm view={view} action={`${base}/members/${self}/remove`} label={t('groups.members.leave')} />}

      {/* Places the events, reports and packs modules fill; until then they say honestly that there is nothing yet. */}
      <section aria-labelledby="group-events" data-slot="events">
        <h2 id="group-events">{t('groups.home.events')}</h2>
        <Empty>{t('groups.home.eventsEmpty')}</Empty>
      </section>
      <section aria-labelledby="group-your-reports" data-slot="your-reports">
        <h2 id="group-your-reports">{t('groups.home.yourReports')}</h2>
        <Empty>{t('groups.home.reportsEmpty')}</Empty>
        <p>
          <a href={`${base}/map`}>{t('mapGroup.link')}</a>
        </p>
        <p>
          <a href={`${base}/outcomes`}>{t('sharing.outcomes.groupPageLink')}</a>
        </p>
      </section>
      <section aria-labelledby="group-resources" data-slot="resources">
        <h2 id="group-resources">{t('groups.home.resources')}</h2>
        <p>{t('groups.home.resourcesIntro')}</p>
        <ul>
          {packChoices(view.lang).map((pack) => (
            <li key={pack.value}>
              <a href={`/packs/${pack.value}`}>{pack.label}</a>
            </li>
          ))}
        </ul>
      </section>

      <h2>{t('groups.totals.title')}</h2>
      <TotalsTables view={view} totals={props.totals} />

      <h2>{t('groups.activities.title')}</h2>
      {props.activities.length === 0 ? (
        <Empty>{t('groups.activities.empty')}</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('groups.fields.occurredOn')}</th>
              <th scope="col">{t('groups.fields.activityKind')}</th>
              <th scope="col">{t('groups.fields.audience')}</th>
              <th scope="col">{t('groups.fields.peopleReached')}</th>
              <th scope="col">{t('groups.fields.actionPack')}</th>
              <th scope="col">{t('groups.fields.notes')}</th>
            </tr>
          </thead>
          <tbody>
            {props.activities.map((activity) => (
              <tr key={activity.id}>
                <td>{activity.occurred_on}</td>
                <td>{t(`groups.activityKinds.${activity.kind}`)}</td>
                <td>{t(`groups.audiences.${activity.audience}`)}</td>
                <td>{activity.people_reached.toLocaleString(view.lang)}</td>
                <td>
                  <ActionPackUsed view={view} value={activity.action_pack} />
                </td>
                <td>{activity.notes ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.canLog && (
        <>
          <h3>{t('groups.activities.log')}</h3>
          <form method="post" action={`${base}/activities`} novalidate>
            <CsrfField view={view} />
            <Field view={view} name="occurredOn" label={t('groups.fields.occurredOn')} hint={t('groups.fields.occurredOnHint')} value={values.occurredOn} errors={props.errors} required maxLength={10} />
            <SelectField view={view} name="kind" label={t('groups.fields.activityKind')} value={values.kind} errors={props.errors} options={ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`groups.activityKinds.${k}`) }))} />
            <SelectField view={view} name="audience" label={t('groups.fields.audience')} value={values.audience} errors={props.errors} options={AUDIENCES.map((a) => ({ value: a, label: t(`groups.audiences.${a}`) }))} />
            <Field view={view} name="peopleReached" label={t('groups.fields.peopleReached')} value={values.peopleReached} errors={props.errors} required inputmode="numeric" maxLength={12} />
            <SelectField view={view} name="actionPack" label={t('groups.fields.actionPack')} hint={t('groups.fields.actionPackHint')} value={values.actionPack} errors={props.errors} blank={t('groups.fields.actionPackNone')} options={packChoices(view.lang)} />
            <TextAreaField view={view} name="notes" label={t('groups.fields.notes')} value={values.notes} errors={props.errors} maxLength={2000} />
            <SubmitButton>{t('groups.activities.submit')}</SubmitButton>
          </form>
        </>
      )}

      {management && (
        <>
          <section aria-labelledby="group-work-queue" data-slot="work-queue">
            <h2 id="group-work-queue">{t('groups.home.workQueue')}</h2>
            {props.role === 'coordinator' ? (
              <p>
                <a href={`${base}/reports`}>{t('reports.review.queue.link')}</a>
              </p>
            ) : (
              <Empty>{t('groups.home.workQueueEmpty')}</Empty>
            )}
          </section>

          {!group.listed && !group.listingRequested && <ActionForm view={view} action={`${base}/listing-request`} label={t('groups.listing.request')} />}

          <h2>{t('groups.members.title')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('groups.members.name')}</th>
                <th scope="col">{t('groups.members.role')}</th>
                <th scope="col">{t('groups.members.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {management.members.map((member) => (
                <tr key={member.user_id}>
                  <td>{member.display_name}</td>
                  <td>{t(`groups.roles.${member.role}`)}</td>
                  <td>
                    <ActionForm
                      view={view}
                      action={`${base}/members/${member.user_id}/role`}
                      label={t(member.role === 'coordinator' ? 'groups.members.makeMember' : 'groups.members.makeCoordinator')}
                      hidden={{ role: member.role === 'coordinator' ? 'member' : 'coordinator' }}
                    />{' '}
                    <ActionForm view={view} action={`${base}/members/${member.user_id}/remove`} label={t(member.user_id === self ? 'groups.members.leave' : 'groups.members.remove')} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>

          <h2>{t('groups.requests.title')}</h2>
          {management.requests.length === 0 ? (
            <Empty>{t('groups.requests.empty')}</Empty>
          ) : (
            <ul>
              {management.requests.map((request) => (
                <li key={request.id}>
                  {request.display_name}
                  {request.message ? `: “${request.message}”` : ''}{' '}
                  <ActionForm view={view} action={`${base}/join-requests/${request.id}`} label={t('groups.requests.approve')} hidden={{ decision: 'approve' }} />{' '}
                  <ActionForm view={view} action={`${base}/join-requests/${request.id}`} label={t('groups.requests.decline')} hidden={{ decision: 'decline' }} />
                </li>
              ))}
            </ul>
          )}

          <h2>{t('groups.invite.title')}</h2>
          <p class="hint">{t('groups.invite.intro')}</p>
          <form method="post" action={`${base}/invitations`} novalidate>
            <CsrfField view={view} />
            <Field view={view} name="email" type="email" label={t('groups.fields.inviteEmail')} hint={t('groups.fields.inviteEmailHint')} value={values.email} errors={props.errors} maxLength={254} />
            <SelectField view={view} name="role" label={t('groups.members.role')} value={values.role} errors={props.errors} options={['member', 'coordinator'].map((r) => ({ value: r, label: t(`groups.roles.${r}`) }))} />
            <SubmitButton>{t('groups.invite.submit')}</SubmitButton>
          </form>
          {management.invitations.length > 0 && (
            <>
              <h3>{t('groups.invite.open')}</h3>
              <ul>
                {management.invitations.map((invitation) => (
                  <li key={invitation.id}>
                    {invitation.email ?? t('groups.invite.linkInvitation')} — {t(`groups.roles.${invitation.role}`)} —{' '}
                    {t('groups.invite.expires', { date: new Date(invitation.expires_at).toISOString().slice(0, 10) })}
                    <ActionForm view={view} action={`${base}/invitations/${invitation.id}/cancel`} label={t('groups.invite.cancel')} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
