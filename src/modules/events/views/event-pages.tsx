/** The public calendar, the page of one event (with sign-up and "add to calendar"), and the form to publish one. */
import type { Language } from '../../../core/i18n.ts';
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, Field, SubmitButton } from '../../../core/views/form.tsx';
import { SelectField, TextAreaField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import { CHANGE_NOTICE_MINUTES } from '../change-notices.ts';
import { CAMPAIGNS, DEFAULT_TIME_ZONE, describeWhen, type PublicEvent } from '../service.ts';

export type Values = Record<string, string | undefined>;

const monthOf = (event: PublicEvent, lang: Language) =>
  new Intl.DateTimeFormat(lang, { timeZone: event.allDay ? 'UTC' : event.timeZone, month: 'long', year: 'numeric' }).format(new Date(event.allDay && event.firstDay ? `${event.firstDay}T00:00:00Z` : event.startsAt));

function Where({ view, event }: { view: ViewContext; event: PublicEvent }) {
  return (
    <>
      {event.place}
      {event.place && event.onlineUrl ? ' — ' : ''}
      {event.onlineUrl && view.t('events.online')}
    </>
  );
}

export function CalendarPage({ view, events, campaign, groupName, groupId, canPublish, notice }: { view: ViewContext; events: PublicEvent[]; campaign?: string | undefined; groupName?: string | undefined; groupId?: string | undefined; canPublish: boolean; notice?: string | undefined }) {
  const { t } = view;
  const months = new Map<string, PublicEvent[]>();
  for (const event of events) {
    const month = monthOf(event, view.lang);
    months.set(month, [...(months.get(month) ?? []), event]);
  }
  const feed = groupId ? `/events/groups/${groupId}/calendar.ics` : campaign ? `/events/campaigns/${campaign}/calendar.ics` : '/events/calendar.ics';
  const heading = groupName ? t('events.calendar.groupTitle', { name: groupName }) : campaign ? t(`events.campaigns.${campaign}`) : t('events.calendar.title');
  return (
    <section>
      <h1>{heading}</h1>
      {notice && (
        <p class="notice" role="status">
          {t(notice)}
        </p>
      )}
      <p>{t('events.calendar.intro')}</p>
      <nav aria-label={t('events.calendar.filters')}>
        <ul class="inline-list">
          <li>{campaign || groupId ? <a href="/events">{t('events.calendar.all')}</a> : <span aria-current="page">{t('events.calendar.all')}</span>}</li>
          {CAMPAIGNS.map((c) => (
            <li key={c}>{c === campaign ? <span aria-current="page">{t(`events.campaigns.${c}`)}</span> : <a href={`/events?campaign=${c}`}>{t(`events.campaigns.${c}`)}</a>}</li>
          ))}
        </ul>
      </nav>
      <p>
        <a href={feed} download>
          {t('events.calendar.subscribe')}
        </a>{' '}
        <span class="hint">{t('events.calendar.subscribeHint')}</span>
      </p>
      {canPublish && (
        <p>
          <a class="button" href="/events/new">
            {t('events.new.title')}
          </a>
        </p>
      )}
      {events.length === 0 && <p>{t('events.calendar.empty')}</p>}
      {[...months].map(([month, list]) => (
        <section key={month}>
          <h2>{month}</h2>
          <ul class="event-list">
            {list.map((event) => (
              <li key={event.id}>
                {event.cancelled && <strong>{t('events.cancelledLabel')} </strong>}
                <a href={`/events/${event.id}`}>{event.title}</a>
                <br />
                {describeWhen(event, view.lang)} · <Where view={view} event={event} />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

export function EventPage({ view, event, groupName, errors, values = {}, notice, organiser }: { view: ViewContext; event: PublicEvent; groupName?: string | undefined; errors?: FieldErrors | undefined; values?: Values; notice?: string | undefined; organiser?: boolean }) {
  const { t } = view;
  const ended = new Date(event.endsAt) <= new Date();
  const full = event.placesLeft === 0;
  return (
    <article class="narrow">
      <h1>{event.title}</h1>
      {notice && (
        <p class="notice" role="status">
          {t(notice)}
        </p>
      )}
      {event.cancelled && (
        <div class="error-summary">
          <p>
            <strong>{t('events.cancelledNotice')}</strong>
          </p>
          {event.cancellationReason && <p>{event.cancellationReason}</p>}
        </div>
      )}
      <dl>
        <dt>{t('events.fields.when')}</dt>
        <dd>{describeWhen(event, view.lang)}</dd>
        <dt>{t('events.fields.where')}</dt>
        <dd>
          {event.place}
          {event.onlineUrl && (
            <>
              {event.place && <br />}
              <a href={event.onlineUrl} rel="noreferrer nofollow">
                {t('events.joinOnline')}
              </a>
            </>
          )}
        </dd>
        {event.campaign && (
          <>
            <dt>{t('events.fields.campaign')}</dt>
            <dd>
              <a href={`/events?campaign=${event.campaign}`}>{t(`events.campaigns.${event.campaign}`)}</a>
            </dd>
          </>
        )}
        {groupName && event.groupId && (
          <>
            <dt>{t('events.fields.group')}</dt>
            <dd>
              <a href={`/events?group=${event.groupId}`}>{groupName}</a>
            </dd>
          </>
        )}
        {event.capacity !== null && (
          <>
            <dt>{t('events.fields.places')}</dt>
            <dd>{t('events.placesLeft', { count: event.placesLeft ?? 0, capacity: event.capacity })}</dd>
          </>
        )}
      </dl>
      {event.description.split(/\n{2,}/).map((paragraph, index) => (
        <p key={index}>{paragraph}</p>
      ))}
      <p>
        <a class="button" href={`/events/${event.id}/calendar.ics`} download>
          {t('events.addToCalendar')}
        </a>
      </p>
      {organiser && (
        <ul class="inline-list">
          <li>
            <a href={`/events/${event.id}/registrations`}>{t('events.registrations.link')}</a>
          </li>
          {!event.cancelled && (
            <li>
              <a href={`/events/${event.id}/edit`}>{t('events.edit.link')}</a>
            </li>
          )}
          {!event.cancelled && !ended && (
            <li>
              <a href={`/events/${event.id}/cancel`}>{t('events.cancel.link')}</a>
            </li>
          )}
        </ul>
      )}
      <h2>{t('events.signUp.title')}</h2>
      {event.cancelled ? (
        <p>{t('events.errors.cancelled')}</p>
      ) : ended ? (
        <p>{t('events.errors.ended')}</p>
      ) : full ? (
        <p>{t('events.errors.full')}</p>
      ) : (
        <>
          <p>{t('events.signUp.intro')}</p>
          <ErrorSummary view={view} errors={errors} />
          <form method="post" action={`/events/${event.id}/registrations`} novalidate>
            <CsrfField view={view} />
            <Field view={view} name="name" label={t('events.fields.name')} value={values.name} errors={errors} required maxLength={100} autocomplete="name" />
            <Field view={view} name="email" type="email" label={t('events.fields.email')} hint={t('events.signUp.emailHint')} value={values.email} errors={errors} required maxLength={254} autocomplete="email" />
            <SubmitButton>{t('events.signUp.submit')}</SubmitButton>
          </form>
        </>
      )}
    </article>
  );
}

/**
 * The form to publish an event, or (with `editing`) to change one: the group cannot change, and the
 * places cannot go below the number signed up.
 */
export function EventFormPage({ view, groups = [], withoutGroup = false, editing, errors, values = {} }: { view: ViewContext; groups?: { id: string; name: string }[]; withoutGroup?: boolean; editing?: PublicEvent; errors?: FieldErrors | undefined; values?: Values }) {
  const { t } = view;
  const capacityHint = editing && editing.registered > 0 ? `${t('events.fields.capacityHint')} ${t('events.edit.signedUp', { count: editing.registered })}` : t('events.fields.capacityHint');
  return (
    <section class="narrow">
      <h1>{editing ? t('events.edit.title', { title: editing.title }) : t('events.new.title')}</h1>
      {editing && <p>{t('events.edit.intro', { minutes: CHANGE_NOTICE_MINUTES })}</p>}
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action={editing ? `/events/${editing.id}/edit` : '/events'} novalidate>
        <CsrfField view={view} />
        <Field view={view} name="title" label={t('events.fields.title')} value={values.title} errors={errors} required maxLength={200} />
        <TextAreaField view={view} name="description" label={t('events.fields.description')} value={values.description} errors={errors} maxLength={5000} />
        <div class="checkbox">
          <input type="checkbox" id="field-allDay" name="allDay" value="yes" checked={values.allDay === 'yes'} />
          <label for="field-allDay">{t('events.fields.allDay')}</label>
        </div>
        <Field view={view} name="start" label={t('events.fields.start')} hint={t('events.fields.timeHint')} value={values.start} errors={errors} required maxLength={20} />
        <Field view={view} name="end" label={t('events.fields.end')} hint={t('events.fields.timeHint')} value={values.end} errors={errors} required maxLength={20} />
        <Field view={view} name="timeZone" label={t('events.fields.timeZone')} hint={t('events.fields.timeZoneHint')} value={values.timeZone ?? DEFAULT_TIME_ZONE} errors={errors} maxLength={64} />
        <Field view={view} name="place" label={t('events.fields.place')} hint={t('events.fields.placeHint')} value={values.place} errors={errors} maxLength={300} />
        <Field view={view} name="onlineUrl" label={t('events.fields.onlineUrl')} value={values.onlineUrl} errors={errors} maxLength={500} />
        {!editing && (
          <SelectField
            view={view}
            name="groupId"
            label={t('events.fields.group')}
            value={values.groupId}
            errors={errors}
            blank={withoutGroup ? t('events.fields.noGroup') : undefined}
            options={groups.map((g) => ({ value: g.id, label: g.name }))}
          />
        )}
        <SelectField view={view} name="campaign" label={t('events.fields.campaign')} value={values.campaign} errors={errors} blank={t('events.fields.noCampaign')} options={CAMPAIGNS.map((c) => ({ value: c, label: t(`events.campaigns.${c}`) }))} />
        <Field view={view} name="capacity" label={t('events.fields.capacity')} hint={capacityHint} value={values.capacity} errors={errors} inputmode="numeric" maxLength={6} />
        <SubmitButton>{editing ? t('events.edit.submit') : t('events.new.submit')}</SubmitButton>
      </form>
    </section>
  );
}

export function RegistrationsPage({ view, event, attendees }: { view: ViewContext; event: PublicEvent; attendees: { name: string; email: string; signedUpAt: string }[] }) {
  const { t } = view;
  return (
    <section>
      <h1>{t('events.registrations.title', { title: event.title })}</h1>
      <p>{t('events.registrations.intro', { count: attendees.length })}</p>
      {attendees.length > 0 && (
        <table>
          <caption>{t('events.registrations.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('events.fields.name')}</th>
              <th scope="col">{t('events.fields.email')}</th>
              <th scope="col">{t('events.registrations.when')}</th>
            </tr>
          </thead>
          <tbody>
            {attendees.map((a) => (
              <tr key={a.email}>
                <td>{a.name}</td>
                <td>{a.email}</td>
                <td>{new Intl.DateTimeFormat(view.lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: event.timeZone }).format(new Date(a.signedUpAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href={`/events/${event.id}`}>{t('events.registrations.back')}</a>
      </p>
    </section>
  );
}
