/** Pages and API of the groups module: parse, call the service, map the outcome to a response. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../core/app-deps.ts';
import type { UserActor } from '../../core/auth/actor.ts';
import { apiUser, pageUser } from '../../core/http/guards.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { redirect, sendPage } from '../../core/http/render.tsx';
import type { Failure, FieldErrors } from '../../core/outcome.ts';
import { checkForm } from '../../core/validation.ts';
import * as schema from './schema.ts';
import * as groups from './service.ts';
import { DirectoryPage, NewGroupPage } from './views/directory-page.tsx';
import { GroupHomePage, PublicGroupPage, type GroupHomeProps } from './views/group-page.tsx';
import { MessagePage } from '../../core/views/message-page.tsx';
import { InvitationPage, NationalPage } from './views/other-pages.tsx';
import { throwApiFailure } from '../../core/http/api-failure.ts';

type Form = Record<string, string | string[] | undefined>;
type Req = FastifyRequest<{
  Body: Form;
  Params: { id: string; requestId: string; userId: string; token: string; country: string; invitationId: string };
  Querystring: { q?: string; country?: string; after?: string; notice?: string };
}>;

const formLimit = perAddressLimit(30, 60_000);

function text(values: Form | undefined): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
}

const signedInActor = (req: FastifyRequest): UserActor | undefined => (req.actor.kind === 'user' && req.actor.stage === 'full' ? req.actor : undefined);
const NOTICES = new Set(['created', 'joinRequested', 'invited', 'activityLogged', 'roleChanged', 'removed', 'left', 'decided', 'listingRequested', 'listed', 'joined', 'invitationCancelled']);

export async function groupsRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const service: groups.GroupsDeps = { db: deps.database.db, jobs: deps.jobs, config: deps.config };

  const message = (req: FastifyRequest, reply: FastifyReply, status: number, titleKey: string, messageKey: string, action?: { href: string; labelKey: string }) =>
    sendPage(req, reply, {
      status,
      title: req.t(titleKey),
      body: (view) => <MessagePage title={view.t(titleKey)} message={view.t(messageKey)} action={action ? { href: action.href, label: view.t(action.labelKey) } : undefined} />,
    });

  const refuse = (req: FastifyRequest, reply: FastifyReply, failure: Failure) => {
    const status = { forbidden: 403, 'not-found': 404, conflict: 409, throttled: 429, invalid: 422 }[failure.reason];
    const key =
      failure.reason === 'invalid'
        ? (Object.values(failure.errors)[0] ?? 'errors.invalidRequest')
        : (failure.message ?? `errors.${failure.reason === 'not-found' ? 'notFound' : failure.reason}`);
    return message(req, reply, status, 'errors.pageTitle', key, { href: '/groups', labelKey: 'groups.directory.title' });
  };

  // ------------------------------------------------------------ pages

  async function directoryPage(req: Req, reply: FastifyReply) {
    const q = typeof req.query.q === 'string' ? req.query.q : undefined;
    const country = typeof req.query.country === 'string' && req.query.country !== '' ? req.query.country : undefined;
    const after = typeof req.query.after === 'string' && req.query.after !== '' ? req.query.after : undefined;
    const outcome = await groups.directory(service, { q, country, after });
    const actor = signedInActor(req);
    const yours = actor ? await groups.yourGroups(service, actor) : undefined;
    const listing = outcome.ok ? outcome.value : { groups: [], pageSize: 20, next: null, count: 0, countExact: true };
    return sendPage(req, reply, {
      status: outcome.ok ? 200 : 422,
      title: req.t('groups.directory.title'),
      body: (view) => (
        <DirectoryPage view={view} {...listing} firstPage={after === undefined} q={q} country={country} errors={outcome.ok ? undefined : 'errors' in outcome ? outcome.errors : undefined} yours={yours?.ok ? yours.value : undefined} />
      ),
    });
  }

  app.get('/groups', directoryPage);

  app.get('/groups/new', async (req, reply) => {
    if (!pageUser(req, reply)) return reply;
    return sendPage(req, reply, { title: req.t('groups.new.title'), body: (view) => <NewGroupPage view={view} /> });
  });

  app.post('/groups', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = checkForm(schema.CreateGroupForm, req.body);
    const outcome = form.ok
      ? await groups.createGroup(service, actor, { ...form.value, lat: Number(form.value.lat), lon: Number(form.value.lon), radiusKm: Number(form.value.radiusKm) })
      : { ok: false as const, reason: 'invalid' as const, errors: form.errors };
    if (outcome.ok) return redirect(reply, `/groups/${outcome.value.id}?notice=created`);
    if (outcome.reason === 'invalid') {
      return sendPage(req, reply, { status: 422, title: req.t('groups.new.title'), body: (view) => <NewGroupPage view={view} errors={outcome.errors} values={text(req.body)} /> });
    }
    return refuse(req, reply, outcome);
  });

  async function groupPage(req: Req, reply: FastifyReply, extra: Partial<GroupHomeProps> & { status?: number; joinErrors?: FieldErrors } = {}) {
    const actor = signedInActor(req);
    const outcome = await groups.viewGroup(service, actor, req.params.id);
    if (!outcome.ok) return refuse(req, reply, outcome);
    const seen = outcome.value;
    const { status, joinErrors, ...props } = extra;
    if (seen.audience === 'public') {
      return sendPage(req, reply, {
        status: status ?? 200,
        title: seen.group.name,
        body: (view) => <PublicGroupPage view={view} group={seen.group} pendingRequest={seen.pendingRequest} signedIn={actor !== undefined} errors={joinErrors} />,
      });
    }
    const member = actor!;
    const [activities, totals, management] = await Promise.all([
      groups.listActivities(service, member, seen.group.id),
      groups.groupTotals(service, member, seen.group.id),
      seen.canManage ? groups.management(service, member, seen.group.id) : undefined,
    ]);
    if (!activities.ok) return refuse(req, reply, activities);
    if (!totals.ok) return refuse(req, reply, totals);
    const notice = typeof req.query.notice === 'string' && NOTICES.has(req.query.notice) ? `groups.notices.${req.query.notice}` : undefined;
    return sendPage(req, reply, {
      status: status ?? 200,
      title: seen.group.name,
      body: (view) => (
        <GroupHomePage
          view={view}
          group={seen.group}
          role={seen.role}
          canManage={seen.canManage}
          canLog={seen.canLog}
          canApproveListing={seen.canApproveListing}
          activities={activities.value}
          totals={totals.value}
          management={management?.ok ? management.value : undefined}
          notice={notice}
          {...props}
        />
      ),
    });
  }

  app.get('/groups/:id', (req: Req, reply) => groupPage(req, reply));

  /** Runs a group action from a form: on success back to the group page with a notice, on bad input the page again with messages. */
  const groupAction =
    (run: (actor: UserActor, req: Req) => Promise<{ ok: true; value?: unknown } | Failure>, notice: string, options: { formErrorsOnPublicPage?: boolean; redirectTo?: (req: Req) => string } = {}) =>
    async (req: Req, reply: FastifyReply) => {
      const actor = pageUser(req, reply);
      if (!actor) return reply;
      const outcome = await run(actor, req);
      if (outcome.ok) return redirect(reply, options.redirectTo?.(req) ?? `/groups/${req.params.id}?notice=${notice}`);
      if (outcome.reason === 'invalid') {
        return options.formErrorsOnPublicPage
          ? groupPage(req, reply, { status: 422, joinErrors: outcome.errors })
          : groupPage(req, reply, { status: 422, errors: outcome.errors, values: text(req.body) });
      }
      return refuse(req, reply, outcome);
    };

  const formErrors = (errors: FieldErrors): Failure => ({ ok: false, reason: 'invalid', errors });

  app.post(
    '/groups/:id/join-requests',
    { config: formLimit },
    groupAction(async (actor, req) => {
      const form = checkForm(schema.JoinForm, req.body);
      return form.ok ? groups.requestToJoin(service, actor, req.params.id, form.value) : formErrors(form.errors);
    }, 'joinRequested', { formErrorsOnPublicPage: true }),
  );

  app.post(
    '/groups/:id/join-requests/:requestId',
    groupAction(async (actor, req) => {
      const form = checkForm(schema.DecisionForm, req.body);
      return form.ok ? groups.decideJoinRequest(service, actor, req.params.id, req.params.requestId, form.value.decision) : formErrors(form.errors);
    }, 'decided'),
  );

  app.post('/groups/:id/invitations', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = checkForm(schema.InviteForm, req.body);
    const outcome = form.ok ? await groups.invite(service, actor, req.params.id, form.value) : formErrors(form.errors);
    // The link is shown once, on the page itself, so a coordinator can copy it.
    if (outcome.ok) return groupPage(req, reply, { status: 201, notice: outcome.value.email ? 'groups.notices.invited' : undefined, newLink: outcome.value.link });
    if (outcome.reason === 'invalid') return groupPage(req, reply, { status: 422, errors: outcome.errors, values: text(req.body) });
    return refuse(req, reply, outcome);
  });

  app.post(
    '/groups/:id/invitations/:invitationId/cancel',
    groupAction((actor, req) => groups.cancelInvitation(service, actor, req.params.id, req.params.invitationId), 'invitationCancelled'),
  );

  app.post(
    '/groups/:id/members/:userId/role',
    groupAction(async (actor, req) => {
      const form = checkForm(schema.RoleForm, req.body);
      return form.ok ? groups.setMemberRole(service, actor, req.params.id, req.params.userId, form.value.role) : formErrors(form.errors);
    }, 'roleChanged'),
  );

  app.post(
    '/groups/:id/members/:userId/remove',
    groupAction((actor, req) => groups.removeMember(service, actor, req.params.id, req.params.userId), 'removed', {
      redirectTo: (req) => (req.actor.kind === 'user' && req.actor.userId === req.params.userId ? '/groups?notice=left' : `/groups/${req.params.id}?notice=removed`),
    }),
  );

  app.post(
    '/groups/:id/activities',
    { config: formLimit },
    groupAction(async (actor, req) => {
      const form = checkForm(schema.ActivityForm, req.body);
      return form.ok ? groups.logActivity(service, actor, req.params.id, { ...form.value, peopleReached: Number(form.value.peopleReached) }) : formErrors(form.errors);
    }, 'activityLogged'),
  );

  app.post('/groups/:id/listing-request', groupAction((actor, req) => groups.requestListing(service, actor, req.params.id), 'listingRequested'));
  app.post('/groups/:id/listing', groupAction((actor, req) => groups.approveListing(service, actor, req.params.id), 'listed'));

  app.get('/groups/invitations/:token', async (req: Req, reply) => {
    const outcome = await groups.invitationDetails(service, req.params.token);
    if (!outcome.ok) return refuse(req, reply, outcome);
    return sendPage(req, reply, {
      title: req.t('groups.invitation.title'),
      body: (view) => <InvitationPage view={view} token={req.params.token} groupName={outcome.value.groupName} role={outcome.value.role} signedIn={signedInActor(req) !== undefined} />,
    });
  });

  app.post('/groups/invitations/:token', { config: formLimit }, async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await groups.acceptInvitation(service, actor, req.params.token);
    if (outcome.ok) return redirect(reply, `/groups/${outcome.value.groupId}?notice=joined`);
    return refuse(req, reply, outcome);
  });

  app.get('/groups/national/:country', async (req: Req, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const country = req.params.country.toUpperCase();
    const [overview, totals] = await Promise.all([groups.countryGroups(service, actor, country), groups.nationalTotals(service, actor, country)]);
    if (!overview.ok) return refuse(req, reply, overview);
    if (!totals.ok) return refuse(req, reply, totals);
    return sendPage(req, reply, {
      title: req.t('groups.national.title', { country }),
      body: (view) => <NationalPage view={view} country={country} groups={overview.value.groups} pendingListing={overview.value.pendingListing} totals={totals.value} />,
    });
  });

  // ------------------------------------------------------------ JSON API

  const unwrap = <T,>(outcome: { ok: true; value: T } | Failure): T => (outcome.ok ? outcome.value : throwApiFailure(outcome));
  const E = schema.ErrorResponse;
  const errors = { 401: E, 403: E, 404: E, 422: E };
  const doc = (operationId: string, summary: string) => ({ operationId, summary, tags: ['groups'] });
  const iso = (value: Date | string) => new Date(value).toISOString();

  type ApiReq<B = unknown, P = Record<string, string>, Q = Record<string, string | undefined>> = FastifyRequest<{ Body: B; Params: P; Querystring: Q }>;

  app.get(
    '/api/v1/groups',
    { schema: { ...doc('listGroups', 'The public directory of listed groups (no sign-in needed)'), querystring: schema.DirectoryQuery, response: { 200: schema.Directory, 422: E } } },
    async (req: ApiReq<unknown, Record<string, string>, { q?: string; country?: string; after?: string }>) =>
      unwrap(await groups.directory(service, { q: req.query.q, country: req.query.country, after: req.query.after })),
  );

  app.post(
    '/api/v1/groups',
    { config: formLimit, schema: { ...doc('createGroup', 'Start a group; you become its coordinator'), body: schema.CreateGroupBody, response: { 201: schema.Created, ...errors } } },
    async (req: ApiReq<groups.GroupInput>, reply) => reply.status(201).send(unwrap(await groups.createGroup(service, apiUser(req), req.body))),
  );

  app.get(
    '/api/v1/groups/:id',
    { schema: { ...doc('getGroup', 'A group: in full for its members, public fields if listed'), params: schema.GroupParams, response: { 200: schema.GroupResponse, ...errors } } },
    async (req: ApiReq<unknown, { id: string }>) => {
      const actor = req.actor.kind === 'user' ? apiUser(req) : undefined;
      const seen = unwrap(await groups.viewGroup(service, actor, req.params.id));
      return seen.audience === 'public' ? { audience: 'public', group: seen.group } : { audience: 'member', role: seen.role ?? null, group: seen.group };
    },
  );

  app.post(
    '/api/v1/groups/:id/join-requests',
    { config: formLimit, schema: { ...doc('requestToJoinGroup', 'Ask to join a group'), params: schema.GroupParams, body: schema.JoinBody, response: { 201: schema.Created, ...errors, 409: E } } },
    async (req: ApiReq<{ message?: string }, { id: string }>, reply) => reply.status(201).send(unwrap(await groups.requestToJoin(service, apiUser(req), req.params.id, req.body ?? {}))),
  );

  app.get(
    '/api/v1/groups/:id/join-requests',
    { schema: { ...doc('listJoinRequests', 'Pending requests to join (coordinators)'), params: schema.GroupParams, response: { 200: Type.Array(schema.JoinRequest), ...errors } } },
    async (req: ApiReq<unknown, { id: string }>) =>
      unwrap(await groups.listJoinRequests(service, apiUser(req), req.params.id)).map((r) => ({ id: r.id, userId: r.user_id, displayName: r.display_name, message: r.message, createdAt: iso(r.created_at) })),
  );

  app.put(
    '/api/v1/groups/:id/join-requests/:requestId',
    { schema: { ...doc('decideJoinRequest', 'Approve or decline a request to join (coordinators)'), params: schema.RequestParams, body: schema.DecisionBody, response: { 204: Type.Null(), ...errors } } },
    async (req: ApiReq<{ decision: string }, { id: string; requestId: string }>, reply) => {
      unwrap(await groups.decideJoinRequest(service, apiUser(req), req.params.id, req.params.requestId, req.body.decision));
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/groups/:id/invitations',
    { config: formLimit, schema: { ...doc('inviteToGroup', 'Invite someone by e-mail, or make a link to share (coordinators)'), params: schema.GroupParams, body: schema.InviteBody, response: { 201: schema.Invitation, ...errors } } },
    async (req: ApiReq<{ email?: string | null; role?: string }, { id: string }>, reply) =>
      reply.status(201).send(unwrap(await groups.invite(service, apiUser(req), req.params.id, { email: req.body.email ?? undefined, role: req.body.role }))),
  );

  app.get(
    '/api/v1/groups/:id/invitations',
    { schema: { ...doc('listGroupInvitations', 'Invitations that can still be used, newest first (coordinators)'), params: schema.GroupParams, response: { 200: Type.Array(schema.OpenInvitation), ...errors } } },
    async (req: ApiReq<unknown, { id: string }>) =>
      unwrap(await groups.listInvitations(service, apiUser(req), req.params.id)).map((i) => ({ id: i.id, email: i.email, role: i.role, expiresAt: iso(i.expires_at), createdAt: iso(i.created_at) })),
  );

  app.delete(
    '/api/v1/groups/:id/invitations/:invitationId',
    { schema: { ...doc('cancelInvitation', 'Cancel an invitation that has not been used; its link stops working (coordinators)'), params: schema.InvitationParams, response: { 204: Type.Null(), ...errors } } },
    async (req: ApiReq<unknown, { id: string; invitationId: string }>, reply) => {
      unwrap(await groups.cancelInvitation(service, apiUser(req), req.params.id, req.params.invitationId));
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/invitations/:token/accept',
    { config: formLimit, schema: { ...doc('acceptInvitation', 'Join a group with an invitation'), params: schema.TokenParams, response: { 200: schema.Accepted, ...errors, 409: E } } },
    async (req: ApiReq<unknown, { token: string }>) => unwrap(await groups.acceptInvitation(service, apiUser(req), req.params.token)),
  );

  app.get(
    '/api/v1/groups/:id/members',
    { schema: { ...doc('listGroupMembers', 'The members of a group (members only)'), params: schema.GroupParams, response: { 200: Type.Array(schema.Member), ...errors } } },
    async (req: ApiReq<unknown, { id: string }>) =>
      unwrap(await groups.listMembers(service, apiUser(req), req.params.id)).map((m) => ({ userId: m.user_id, displayName: m.display_name, role: m.role, joinedAt: iso(m.joined_at) })),
  );

  app.put(
    '/api/v1/groups/:id/members/:userId',
    { schema: { ...doc('setGroupMemberRole', 'Make a member a coordinator, or a coordinator a member (coordinators)'), params: schema.MemberParams, body: schema.RoleBody, response: { 204: Type.Null(), ...errors } } },
    async (req: ApiReq<{ role: string }, { id: string; userId: string }>, reply) => {
      unwrap(await groups.setMemberRole(service, apiUser(req), req.params.id, req.params.userId, req.body.role));
      return reply.status(204).send();
    },
  );

  app.delete(
    '/api/v1/groups/:id/members/:userId',
    { schema: { ...doc('removeGroupMember', 'Remove a member (coordinators), or leave (your own id)'), params: schema.MemberParams, response: { 204: Type.Null(), ...errors } } },
    async (req: ApiReq<unknown, { id: string; userId: string }>, reply) => {
      unwrap(await groups.removeMember(service, apiUser(req), req.params.id, req.params.userId));
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/groups/:id/activities',
    { config: formLimit, schema: { ...doc('logActivity', 'Log a piece of awareness work (members)'), params: schema.GroupParams, body: schema.ActivityBody, response: { 201: schema.Created, ...errors } } },
    async (req: ApiReq<groups.ActivityInput & { actionPack?: string | null; notes?: string | null }, { id: string }>, reply) =>
      reply.status(201).send(unwrap(await groups.logActivity(service, apiUser(req), req.params.id, { ...req.body, actionPack: req.body.actionPack ?? undefined, notes: req.body.notes ?? undefined }))),
  );

  app.get(
    '/api/v1/groups/:id/activities',
    { schema: { ...doc('listActivities', 'The group’s awareness activity log, newest first (members)'), params: schema.GroupParams, response: { 200: Type.Array(schema.Activity), ...errors } } },
    async (req: ApiReq<unknown, { id: string }>) =>
      unwrap(await groups.listActivities(service, apiUser(req), req.params.id)).map((a) => ({
        id: a.id,
        occurredOn: a.occurred_on,
        kind: a.kind,
        audience: a.audience,
        peopleReached: a.people_reached,
        actionPack: a.action_pack,
        notes: a.notes,
      })),
  );

  app.get(
    '/api/v1/groups/:id/activity-totals',
    { schema: { ...doc('getActivityTotals', 'Activities and people reached, in all, by audience and by month (members)'), params: schema.GroupParams, response: { 200: schema.Totals, ...errors } } },
    async (req: ApiReq<unknown, { id: string }>) => unwrap(await groups.groupTotals(service, apiUser(req), req.params.id)),
  );

  app.post(
    '/api/v1/groups/:id/listing-request',
    { schema: { ...doc('requestGroupListing', 'Ask for the group to be listed in the public directory (coordinators)'), params: schema.GroupParams, response: { 204: Type.Null(), ...errors, 409: E } } },
    async (req: ApiReq<unknown, { id: string }>, reply) => {
      unwrap(await groups.requestListing(service, apiUser(req), req.params.id));
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/groups/:id/listing',
    { schema: { ...doc('approveGroupListing', 'List a group in the public directory (national coordinators of its country)'), params: schema.GroupParams, response: { 204: Type.Null(), ...errors, 409: E } } },
    async (req: ApiReq<unknown, { id: string }>, reply) => {
      unwrap(await groups.approveListing(service, apiUser(req), req.params.id));
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/countries/:country/groups',
    { schema: { ...doc('listCountryGroups', 'Every group of a country, listed or not, and pending listing requests (national coordinators)'), params: schema.CountryParams, response: { 200: schema.CountryGroups, ...errors } } },
    async (req: ApiReq<unknown, { country: string }>) => unwrap(await groups.countryGroups(service, apiUser(req), req.params.country.toUpperCase())),
  );

  app.get(
    '/api/v1/countries/:country/activity-totals',
    { schema: { ...doc('getNationalActivityTotals', 'National activity totals by audience and month (national coordinators)'), params: schema.CountryParams, response: { 200: schema.Totals, ...errors } } },
    async (req: ApiReq<unknown, { country: string }>) => unwrap(await groups.nationalTotals(service, apiUser(req), req.params.country.toUpperCase())),
  );
}
