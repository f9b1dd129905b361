-- Events: Freedom Week and group events, their public calendar and iCalendar feeds, and sign-ups to
-- attend. See src/modules/events/CONTEXT.md.
create table events (
  id uuid primary key default gen_random_uuid(),
  title text not null check (length(title) between 1 and 200),
  description text not null default '' check (length(description) <= 5000),
  -- An all-day event runs from first_day to last_day (inclusive) in its time zone; a timed one from
  -- starts_at to ends_at. starts_at and ends_at are always set (for an all-day event, local midnight
  -- of the first day and of the day after the last), so the calendar sorts and filters one way.
  all_day boolean not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  first_day date,
  last_day date,
  time_zone text not null,
  -- Where: a place (free text) and/or an online link.
  place text check (length(place) <= 300),
  online_url text check (online_url ~ '^https?://' and length(online_url) <= 500),
  group_id uuid references groups (id),
  campaign text check (campaign ~ '^[a-z0-9-]{1,40}$'),
  -- null: no limit on sign-ups.
  capacity integer check (capacity is null or capacity between 1 and 100000),
  registered integer not null default 0,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  constraint events_ends_after_start check (ends_at > starts_at),
  constraint events_all_day_days check (all_day = (first_day is not null and last_day is not null)),
  constraint events_where check (place is not null or online_url is not null),
  constraint events_within_capacity check (capacity is null or registered <= capacity)
);
create index events_starts_idx on events (starts_at, id);
create index events_group_idx on events (group_id, starts_at) where group_id is not null;
create index events_campaign_idx on events (campaign, starts_at) where campaign is not null;

-- Sign-ups to attend. The e-mail address is matched only through its keyed hash (one sign-up per
-- address per event); name and address are sealed, for the organisers' list and the confirmation.
create table event_registrations (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null references events (id),
  email_hash text not null,
  name_sealed text not null,
  email_sealed text not null,
  created_at timestamptz not null default now(),
  constraint event_registrations_once unique (event_id, email_hash)
);
