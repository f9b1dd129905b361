/** Pages, iCalendar feeds and API of the events module: parse, call the service, map the outcome. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { throwApiFailure } from '../../core/http/api-failure.ts';
import { apiUser, pageUser } from '../../core/http/guards.ts';
import { perAddressLimit } from '../../core/http/rate-limit.ts';
import { redirect, sendPage } from '../../core/http/render.tsx';
import type { Failure, FieldErrors } from '../../core/outcome.ts';
import { MessagePage } from '../../core/views/message-page.tsx';
import { CHANGE_NOTICE_MINUTES } from './change-notices.ts';
import * as changes from './changes.ts';
import * as schema from './schema.ts';
import * as events from './service.ts';
import { CancelEventPage, CancelPlacePage } from './views/change-pages.tsx';
import { CalendarPage, EventFormPage, EventPage, RegistrationsPage, type Values } from './views/event-pages.tsx';

type Form = Record<string, string | string[] | undefined>;
const formLimit = perAddressLimit(20, 60_000);
const text = (values: Form | undefined): Values => Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
const NOTICES = new Set(['created', 'registered', 'already', 'updated', 'updatedNotice', 'unchanged', 'cancelled', 'placeCancelled']);

export async function eventsRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const service: events.EventsDeps = { db: deps.database.db, sealer: deps.sealer, keys: deps.keys, jobs: deps.jobs, config: deps.config };

  const refuse = (req: FastifyRequest, reply: FastifyReply, failure: Failure) => {
    const status = { forbidden: 403, 'not-found': 404, conflict: 409, throttled: 429, invalid: 422 }[failure.reason];
    const key = failure.reason === 'invalid' ? (Object.values(failure.errors)[0] ?? 'errors.invalidRequest') : (failure.message ?? `errors.${failure.reason === 'not-found' ? 'notFound' : failure.reason}`);
    return sendPage(req, reply, { status, title: req.t('errors.pageTitle'), body: (view) => <MessagePage title={view.t('errors.pageTitle')} message={view.t(key)} action={{ href: '/events', label: view.t('events.calendar.title') }} /> });
  };

  const sendIcs = (reply: FastifyReply, ics: string, fileName: string) =>
    reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileName}"`)
      .header('cache-control', 'public, max-age=300')
      .send(ics);

  const signedIn = (req: FastifyRequest) => (req.actor.kind === 'user' && req.actor.stage === 'full' ? req.actor : undefined);

  // ------------------------------------------------------------ pages

  app.get('/events', async (req: FastifyRequest<{ Querystring: { campaign?: string; group?: string; notice?: string } }>, reply) => {
    const filter = { campaign: req.query.campaign || undefined, groupId: req.query.group || undefined };
    const outcome = await events.listEvents(service, filter);
    if (!outcome.ok) return refuse(req, reply, outcome);
    const groupName = filter.groupId ? await events.groupName(service, filter.groupId) : undefined;
    const actor = signedIn(req);
    const choices = actor ? await events.publishingChoices(service, actor) : undefined;
    const notice = req.query.notice && NOTICES.has(req.query.notice) ? `events.notices.${req.query.notice}` : undefined;
    return sendPage(req, reply, {
      title: req.t('events.calendar.title'),
      body: (view) => <CalendarPage view={view} events={outcome.value} campaign={filter.campaign} groupId={filter.groupId} groupName={groupName} canPublish={choices?.ok === true} notice={notice} />,
    });
  });

  const newEventPage = async (req: FastifyRequest, reply: FastifyReply, extra: { status?: number; errors?: FieldErrors; values?: Values } = {}) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const choices = await events.publishingChoices(service, actor);
    if (!choices.ok) return refuse(req, reply, choices);
    return sendPage(req, reply, { status: extra.status ?? 200, title: req.t('events.new.title'), body: (view) => <EventFormPage view={view} groups={choices.value.groups} withoutGroup={choices.value.withoutGroup} errors={extra.errors} values={extra.values} /> });
  };

  app.get('/events/new', (req, reply) => newEventPage(req, reply));

  app.post('/events', { config: formLimit }, async (req: FastifyRequest<{ Body: Form }>, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = text(req.body);
    const outcome = await events.createEvent(service, actor, { ...form, allDay: form.allDay === 'yes' });
    if (outcome.ok) return redirect(reply, `/events/${outcome.value.id}?notice=created`);
    if (outcome.reason === 'invalid') return newEventPage(req, reply, { status: 422, errors: outcome.errors, values: form });
    return refuse(req, reply, outcome);
  });

  app.get('/events/calendar.ics', async (req, reply) => {
    const outcome = await events.calendarFeed(service, {}, req.t('events.calendar.feedName'));
    return outcome.ok ? sendIcs(reply, outcome.value, 'cast-events.ics') : refuse(req, reply, outcome);
  });

  app.get('/events/campaigns/:campaign/calendar.ics', async (req: FastifyRequest<{ Params: { campaign: string } }>, reply) => {
    const campaign = req.params.campaign;
    if (!(events.CAMPAIGNS as readonly string[]).includes(campaign)) return refuse(req, reply, { ok: false, reason: 'not-found' });
    const outcome = await events.calendarFeed(service, { campaign }, req.t(`events.campaigns.${campaign}`));
    return outcome.ok ? sendIcs(reply, outcome.value, `${campaign}.ics`) : refuse(req, reply, outcome);
  });

  app.get('/events/groups/:groupId/calendar.ics', async (req: FastifyRequest<{ Params: { groupId: string } }>, reply) => {
    const name = await events.groupName(service, req.params.groupId);
    if (!name) return refuse(req, reply, { ok: false, reason: 'not-found' });
    const outcome = await events.calendarFeed(service, { groupId: req.params.groupId }, name);
    return outcome.ok ? sendIcs(reply, outcome.value, 'group-events.ics') : refuse(req, reply, outcome);
  });

  const eventPage = async (req: FastifyRequest<{ Params: { id: string }; Querystring: { notice?: string } }>, reply: FastifyReply, extra: { status?: number; errors?: FieldErrors; values?: Values } = {}) => {
    const outcome = await events.getEvent(service, req.params.id);
    if (!outcome.ok) return refuse(req, reply, outcome);
    const event = outcome.value;
    const groupName = event.groupId ? await events.groupName(service, event.groupId) : undefined;
    const notice = req.query.notice && NOTICES.has(req.query.notice) ? `events.notices.${req.query.notice}` : undefined;
    const organiser = await events.mayOrganise(service, signedIn(req), event.id);
    return sendPage(req, reply, { status: extra.status ?? 200, title: event.title, body: (view) => <EventPage view={view} event={event} groupName={groupName} errors={extra.errors} values={extra.values} notice={notice} organiser={organiser} /> });
  };

  app.get('/events/:id', (req: FastifyRequest<{ Params: { id: string }; Querystring: { notice?: string } }>, reply) => eventPage(req, reply));

  app.get('/events/:id/calendar.ics', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const outcome = await events.eventCalendar(service, req.params.id);
    return outcome.ok ? sendIcs(reply, outcome.value.ics, 'event.ics') : refuse(req, reply, outcome);
  });

  app.get('/events/:id/registrations', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await events.listRegistrations(service, actor, req.params.id);
    if (!outcome.ok) return refuse(req, reply, outcome);
    const { event, attendees } = outcome.value;
    return sendPage(req, reply, { title: req.t('events.registrations.title', { title: event.title }), body: (view) => <RegistrationsPage view={view} event={event} attendees={attendees} /> });
  });

  app.post('/events/:id/registrations', { config: formLimit }, async (req: FastifyRequest<{ Params: { id: string }; Body: Form; Querystring: { notice?: string } }>, reply) => {
    const form = text(req.body);
    const outcome = await events.registerForEvent(service, req.params.id, { name: form.name, email: form.email }, req.lang);
    if (outcome.ok) return redirect(reply, `/events/${req.params.id}?notice=${outcome.value.status === 'already' ? 'already' : 'registered'}`);
    if (outcome.reason === 'invalid') return eventPage(req, reply, { status: 422, errors: outcome.errors, values: form });
    return refuse(req, reply, outcome);
  });

  // ------------------------------------------------------------ changing an event (its organisers)

  const editPage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, extra: { status?: number; errors?: FieldErrors; values?: Values } = {}) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await changes.eventToManage(service, actor, req.params.id);
    if (!outcome.ok) return refuse(req, reply, outcome);
    const event = outcome.value;
    return sendPage(req, reply, {
      status: extra.status ?? 200,
      title: req.t('events.edit.title', { title: event.title }),
      body: (view) => <EventFormPage view={view} editing={event} errors={extra.errors} values={extra.values ?? changes.editingValues(event)} />,
    });
  };

  app.get('/events/:id/edit', (req: FastifyRequest<{ Params: { id: string } }>, reply) => editPage(req, reply));

  app.post('/events/:id/edit', { config: formLimit }, async (req: FastifyRequest<{ Params: { id: string }; Body: Form }>, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = text(req.body);
    const { title, description, start, end, timeZone, place, onlineUrl, campaign, capacity } = form;
    const outcome = await changes.updateEvent(service, actor, req.params.id, { title, description, start, end, timeZone, place, onlineUrl, campaign, capacity, allDay: form.allDay === 'yes' });
    if (outcome.ok) return redirect(reply, `/events/${req.params.id}?notice=${!outcome.value.changed ? 'unchanged' : outcome.value.notified > 0 ? 'updatedNotice' : 'updated'}`);
    if (outcome.reason === 'invalid') return editPage(req, reply, { status: 422, errors: outcome.errors, values: form });
    return refuse(req, reply, outcome);
  });

  const cancelPage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, extra: { status?: number; errors?: FieldErrors; values?: Values } = {}) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const outcome = await changes.eventToManage(service, actor, req.params.id);
    if (!outcome.ok) return refuse(req, reply, outcome);
    const event = outcome.value;
    return sendPage(req, reply, { status: extra.status ?? 200, title: req.t('events.cancel.title', { title: event.title }), body: (view) => <CancelEventPage view={view} event={event} errors={extra.errors} values={extra.values} /> });
  };

  app.get('/events/:id/cancel', (req: FastifyRequest<{ Params: { id: string } }>, reply) => cancelPage(req, reply));

  app.post('/events/:id/cancel', { config: formLimit }, async (req: FastifyRequest<{ Params: { id: string }; Body: Form }>, reply) => {
    const actor = pageUser(req, reply);
    if (!actor) return reply;
    const form = text(req.body);
    const outcome = await changes.cancelEvent(service, actor, req.params.id, { reason: form.reason });
    if (outcome.ok) return redirect(reply, `/events/${req.params.id}?notice=cancelled`);
    if (outcome.reason === 'invalid') return cancelPage(req, reply, { status: 422, errors: outcome.errors, values: form });
    return refuse(req, reply, outcome);
  });

  // A person cancels their own place from the signed link in their e-mail: the link shows a page
  // (mail scanners follow links), the button on it cancels.
  app.get('/events/:id/registrations/cancel', async (req: FastifyRequest<{ Params: { id: string }; Querystring: { token?: string } }>, reply) => {
    const token = String(req.query.token ?? '');
    const outcome = await changes.registrationForLink(service, req.params.id, token);
    if (!outcome.ok) return refuse(req, reply, outcome);
    const event = outcome.value;
    return sendPage(req, reply, { title: req.t('events.cancelPlace.title'), body: (view) => <CancelPlacePage view={view} event={event} token={token} /> });
  });

  app.post('/events/:id/registrations/cancel', { config: formLimit }, async (req: FastifyRequest<{ Params: { id: string }; Body: Form }>, reply) => {
    const outcome = await changes.cancelRegistration(service, req.params.id, text(req.body).token ?? '');
    return outcome.ok ? redirect(reply, `/events/${req.params.id}?notice=placeCancelled`) : refuse(req, reply, outcome);
  });

  // ------------------------------------------------------------ JSON API

  const unwrap = <T,>(outcome: { ok: true; value: T } | Failure): T => (outcome.ok ? outcome.value : throwApiFailure(outcome));
  const E = schema.ErrorResponse;
  const doc = (operationId: string, summary: string) => ({ operationId, summary, tags: ['events'] });

  app.get(
    '/api/v1/events',
    { schema: { ...doc('listEvents', 'Events that have not ended, soonest first (no sign-in needed)'), querystring: schema.ListQuery, response: { 200: schema.EventList, 422: E } } },
    async (req: FastifyRequest<{ Querystring: { campaign?: string; group?: string } }>) => unwrap(await events.listEvents(service, { campaign: req.query.campaign, groupId: req.query.group })),
  );

  app.post(
    '/api/v1/events',
    { config: formLimit, schema: { ...doc('createEvent', 'Publish an event (editors; a group’s coordinators for the group)'), body: schema.CreateEventBody, response: { 201: schema.Created, 401: E, 403: E, 422: E } } },
    async (req: FastifyRequest<{ Body: events.EventInput }>, reply) => reply.status(201).send(unwrap(await events.createEvent(service, apiUser(req), req.body))),
  );

  app.get(
    '/api/v1/events/calendar.ics',
    { schema: { ...doc('getEventsCalendar', 'iCalendar feed (RFC 5545) of every event, a group’s or a campaign’s'), querystring: schema.ListQuery, produces: ['text/calendar'], response: { 422: E } } },
    async (req: FastifyRequest<{ Querystring: { campaign?: string; group?: string } }>, reply) => {
      const filter = { campaign: req.query.campaign, groupId: req.query.group };
      const name = filter.campaign ? req.t(`events.campaigns.${filter.campaign}`) : req.t('events.calendar.feedName');
      return sendIcs(reply, unwrap(await events.calendarFeed(service, filter, name)), 'cast-events.ics');
    },
  );

  app.get(
    '/api/v1/events/:id',
    { schema: { ...doc('getEvent', 'One event'), params: schema.EventParams, response: { 200: schema.Event, 404: E } } },
    async (req: FastifyRequest<{ Params: { id: string } }>) => unwrap(await events.getEvent(service, req.params.id)),
  );

  app.patch(
    '/api/v1/events/:id',
    {
      config: formLimit,
      schema: { ...doc('updateEvent', `Change an event (its organisers); a new time or place is e-mailed to everyone signed up (one e-mail for changes made within ${CHANGE_NOTICE_MINUTES} minutes), and the iCalendar SEQUENCE goes up`), params: schema.EventParams, body: schema.UpdateEventBody, response: { 200: schema.EventUpdated, 401: E, 403: E, 404: E, 409: E, 422: E } },
    },
    async (req: FastifyRequest<{ Params: { id: string }; Body: events.EventInput }>) => unwrap(await changes.updateEvent(service, apiUser(req), req.params.id, req.body)),
  );

  app.post(
    '/api/v1/events/:id/cancel',
    {
      config: formLimit,
      schema: { ...doc('cancelEvent', 'Cancel an event (its organisers): it stays listed as cancelled (STATUS:CANCELLED in the feeds), takes no more sign-ups, and everyone signed up is e-mailed'), params: schema.EventParams, body: schema.CancelEventBody, response: { 200: schema.EventCancelled, 401: E, 403: E, 404: E, 409: E, 422: E } },
    },
    async (req: FastifyRequest<{ Params: { id: string }; Body: { reason?: string | null } }>) => unwrap(await changes.cancelEvent(service, apiUser(req), req.params.id, req.body)),
  );

  app.post(
    '/api/v1/events/:id/registrations/cancel',
    {
      config: { ...formLimit, csrf: 'anonymous-ok' },
      schema: { ...doc('cancelRegistration', 'Cancel one’s own place with the token of the link in the sign-up e-mail (no account needed); the place is freed'), params: schema.EventParams, body: schema.CancelRegistrationBody, response: { 200: schema.RegistrationCancelled, 404: E, 409: E, 422: E } },
    },
    async (req: FastifyRequest<{ Params: { id: string }; Body: { token: string } }>) => unwrap(await changes.cancelRegistration(service, req.params.id, req.body.token)),
  );

  app.post(
    '/api/v1/events/:id/registrations',
    {
      config: { ...formLimit, csrf: 'anonymous-ok' },
      schema: { ...doc('registerForEvent', 'Sign up to attend (no account needed); a confirmation is e-mailed'), params: schema.EventParams, body: schema.RegistrationBody, response: { 201: schema.Registered, 200: schema.Registered, 404: E, 409: E, 422: E } },
    },
    async (req: FastifyRequest<{ Params: { id: string }; Body: events.RegistrationInput }>, reply) => {
      const result = unwrap(await events.registerForEvent(service, req.params.id, req.body, req.lang));
      return reply.status(result.status === 'registered' ? 201 : 200).send(result);
    },
  );

}
