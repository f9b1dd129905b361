-- Reports: what people saw, their identifiers, what reporters add later, and the review history.
--
-- Written as if a trafficker will read this database. Restricted fields (the account in the
-- reporter's words, the precise place, vehicles, reporter contact, identifiers in clear, internal
-- notes) are sealed by the application (columns ending in _sealed). A report keeps only the day it
-- arrived — no time, no address, no user agent — and uuids are random (v4), so no column orders
-- reports by submission time more finely than the day.

create table reports (
  id uuid primary key default gen_random_uuid(),
  -- A short, non-secret reference coordinators use when they talk about a report.
  reference text not null unique check (reference ~ '^R-[0-9A-Z]{8}$'),
  -- SHA-256 of the receipt code shown once to the reporter; the code itself is never stored.
  receipt_hash bytea not null unique,
  reporter_id uuid references users (id) on delete set null,
  -- The group whose area holds the point; null means the national inbox of the country.
  group_id uuid references groups (id) on delete set null,
  country char(2) not null check (country ~ '^[A-Z]{2}$'),
  received_on date not null,
  status text not null default 'received'
    check (status in ('received', 'triaged', 'graded', 'shared', 'closed', 'rejected', 'duplicate')),
  duplicate_of uuid references reports (id) on delete set null,
  constraint reports_duplicate_has_target check ((status = 'duplicate') = (duplicate_of is not null)),
  assigned_to uuid references users (id) on delete set null,
  -- What was seen (taxonomy ids; checked by the application against content/indicators).
  place_type text,
  observed_from date,
  observed_to date,
  observed_time text check (observed_time in ('morning', 'afternoon', 'evening', 'night')),
  constraint reports_observed_order check (observed_to is null or observed_from is null or observed_to >= observed_from),
  exploitation_types text[] not null default '{}',
  indicators text[] not null default '{}',
  people_count integer check (people_count between 1 and 10000),
  age_bands text[] not null default '{}',
  genders text[] not null default '{}',
  route_origin text[] not null default '{}',
  route_transit text[] not null default '{}',
  route_destination text[] not null default '{}',
  -- Coarse location in clear for maps (H3 resolution 7, ~5 km²); the precise point only sealed.
  h3_cell text,
  location_sealed text,
  narrative_sealed text,
  vehicles_sealed text,
  contact_sealed text,
  contact_consent boolean not null default false,
  -- Review and grading (UK 3x5x2). The sanitised summary is the only text that may leave the group.
  priority text check (priority in ('high', 'medium', 'low')),
  grade_source smallint check (grade_source between 1 and 3),
  grade_assessment char(1) check (grade_assessment in ('A', 'B', 'C', 'D', 'E')),
  grade_handling char(1) check (grade_handling in ('P', 'C')),
  handling_conditions text,
  constraint reports_conditions_for_c check (grade_handling is distinct from 'C' or length(handling_conditions) > 0),
  summary text check (length(summary) <= 5000),
  graded_by uuid references users (id) on delete set null,
  graded_at timestamptz,
  -- When a coordinator last changed it. Null until then: a default of now() would record the
  -- moment of submission.
  updated_at timestamptz,
  -- The reporter added something with their receipt code since a coordinator last looked.
  unread_additions boolean not null default false
);
-- The work queues: a group's and a country's national inbox.
create index reports_group_queue_idx on reports (group_id, status, received_on desc, id) where group_id is not null;
create index reports_national_inbox_idx on reports (country, status, received_on desc, id) where group_id is null;
create index reports_reporter_idx on reports (reporter_id, received_on desc) where reporter_id is not null;
create index reports_h3_idx on reports (h3_cell) where h3_cell is not null;
create index reports_indicators_idx on reports using gin (indicators);
create index reports_exploitation_idx on reports using gin (exploitation_types);

-- One row per identifier seen: kind in clear, value sealed, and a keyed blind index (HMAC of the
-- normalised value) that lets reports be matched without anyone reading the value.
create table report_identifiers (
  id uuid primary key default gen_random_uuid(),
  report_id uuid not null references reports (id) on delete cascade,
  addition_id uuid,
  kind text not null check (kind in ('phone', 'plate', 'address', 'website', 'handle', 'email')),
  blind_index bytea not null,
  value_sealed text not null,
  -- Set when the value could not be normalised (e.g. a phone number that does not parse): kept, flagged.
  unparsed boolean not null default false
);
create index report_identifiers_report_idx on report_identifiers (report_id);
create index report_identifiers_match_idx on report_identifiers (kind, blind_index);

-- What a reporter adds later with their receipt code. Day only, like the report.
create table report_additions (
  id uuid primary key default gen_random_uuid(),
  report_id uuid not null references reports (id) on delete cascade,
  added_on date not null,
  narrative_sealed text
);
create index report_additions_report_idx on report_additions (report_id);
alter table report_identifiers add constraint report_identifiers_addition_fk
  foreign key (addition_id) references report_additions (id) on delete cascade;

-- The review history: every change a coordinator makes, with who and when (coordinators' actions,
-- not the reporter's, so their time is kept). Notes are restricted: sealed.
create table report_events (
  id uuid primary key default gen_random_uuid(),
  report_id uuid not null references reports (id) on delete cascade,
  actor_id uuid references users (id) on delete set null,
  kind text not null check (kind in ('triaged', 'graded', 'assigned', 'noted', 'merged', 'closed', 'rejected', 'reopened', 'transferred', 'shared')),
  from_status text,
  to_status text,
  detail jsonb,
  note_sealed text,
  created_at timestamptz not null default now()
);
create index report_events_report_idx on report_events (report_id, created_at);

-- Routing a report finds the listed groups whose area could hold its point: each group's bounding
-- box in degrees (its radius around its centre; longitude degrees shrink towards the poles), in a
-- GiST index, so only the few groups around a point are read, however many groups exist.
create function group_area_box(lat double precision, lon double precision, radius_km numeric) returns box
  language sql immutable parallel safe
  return box(
    point(lon - radius_km / (111.2 * greatest(cos(radians(lat)), 0.01)), lat - radius_km / 111.2),
    point(lon + radius_km / (111.2 * greatest(cos(radians(lat)), 0.01)), lat + radius_km / 111.2)
  );
create index groups_area_box_idx on groups using gist (group_area_box(centre_lat, centre_lon, radius_km)) where listed;
