/** Cancelling an event (its organisers) and cancelling one's own place (from the link in the sign-up e-mail). */
import type { FieldErrors } from '../../../core/outcome.ts';
import { CsrfField, ErrorSummary, SubmitButton } from '../../../core/views/form.tsx';
import { TextAreaField } from '../../../core/views/form-controls.tsx';
import type { ViewContext } from '../../../core/views/view-context.ts';
import { describeWhen, type PublicEvent } from '../service.ts';

export function CancelEventPage({ view, event, errors, values = {} }: { view: ViewContext; event: PublicEvent; errors?: FieldErrors | undefined; values?: Record<string, string | undefined> }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('events.cancel.title', { title: event.title })}</h1>
      <p>{describeWhen(event, view.lang)}</p>
      <p>{t('events.cancel.intro', { count: event.registered })}</p>
      <ErrorSummary view={view} errors={errors} />
      <form method="post" action={`/events/${event.id}/cancel`} novalidate>
        <CsrfField view={view} />
        <TextAreaField view={view} name="reason" label={t('events.cancel.reason')} hint={t('events.cancel.reasonHint')} value={values.reason} errors={errors} maxLength={500} />
        <SubmitButton>{t('events.cancel.submit')}</SubmitButton>
      </form>
      <p>
        <a href={`/events/${event.id}`}>{t('events.cancel.keep')}</a>
      </p>
    </section>
  );
}

export function CancelPlacePage({ view, event, token }: { view: ViewContext; event: PublicEvent; token: string }) {
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('events.cancelPlace.title')}</h1>
      <p>{t('events.cancelPlace.intro', { title: event.title, when: describeWhen(event, view.lang) })}</p>
      <form method="post" action={`/events/${event.id}/registrations/cancel`}>
        <CsrfField view={view} />
        <input type="hidden" name="token" value={token} />
        <SubmitButton>{t('events.cancelPlace.submit')}</SubmitButton>
      </form>
      <p>
        <a href={`/events/${event.id}`}>{t('events.cancelPlace.keep')}</a>
      </p>
    </section>
  );
}
