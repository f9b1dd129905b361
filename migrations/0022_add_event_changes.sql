-- Events can be edited and cancelled by their organisers (src/modules/events/CONTEXT.md).
-- sequence: the iCalendar SEQUENCE, raised by one at every change, so calendar programs replace their
-- copy; updated_at: LAST-MODIFIED. A cancelled event keeps its row (and its sign-ups): the calendar,
-- its page and the feeds show it as cancelled (STATUS:CANCELLED) so calendars that hold it remove it.
alter table events add column sequence integer not null default 0 check (sequence >= 0);
alter table events add column updated_at timestamptz;
alter table events add column cancelled_at timestamptz;
alter table events add column cancellation_reason text check (length(cancellation_reason) <= 500);

-- The language a person signed up in: the e-mails about a change or a cancellation are written in it.
alter table event_registrations add column language text not null default 'en' check (language in ('en', 'fr'));
