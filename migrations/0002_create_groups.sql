-- Groups: local CAST groups, their members, join requests, invitations and awareness activities.

create table groups (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 120),
  kind text not null check (kind in ('school', 'community', 'faith', 'business', 'neighbourhood', 'other')),
  -- ISO 3166-1 alpha-2.
  country char(2) not null check (country ~ '^[A-Z]{2}$'),
  locality text not null check (length(locality) between 1 and 120),
  -- The area the group works in: a centre and a radius, and optionally a GeoJSON polygon.
  centre_lat double precision not null check (centre_lat between -90 and 90),
  centre_lon double precision not null check (centre_lon between -180 and 180),
  radius_km numeric(6, 2) not null check (radius_km > 0 and radius_km <= 200),
  boundary jsonb,
  -- Groups start unlisted; a national coordinator of the country lists them in the directory.
  listed boolean not null default false,
  listing_requested_at timestamptz,
  listed_at timestamptz,
  listed_by uuid references users (id) on delete set null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now()
);
create index groups_country_idx on groups (country, name);
create index groups_directory_idx on groups (lower(name), id) where listed;
create index groups_listing_requests_idx on groups (country, listing_requested_at) where listing_requested_at is not null and not listed;

create table group_members (
  group_id uuid not null references groups (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  role text not null check (role in ('coordinator', 'member')),
  joined_at timestamptz not null default now(),
  primary key (group_id, user_id)
);
create index group_members_user_idx on group_members (user_id);

create table join_requests (
  id uuid primary key default gen_random_uuid(),
  group_id uuid not null references groups (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  message text check (length(message) <= 1000),
  created_at timestamptz not null default now(),
  decided_at timestamptz,
  decision text check (decision in ('approved', 'declined')),
  decided_by uuid references users (id) on delete set null,
  constraint join_requests_decision_complete check ((decided_at is null) = (decision is null))
);
-- At most one pending request per person and group.
create unique index join_requests_pending_key on join_requests (group_id, user_id) where decided_at is null;
create index join_requests_user_idx on join_requests (user_id);

create table group_invitations (
  id uuid primary key default gen_random_uuid(),
  group_id uuid not null references groups (id) on delete cascade,
  -- SHA-256 of the token in the link; the token itself is never stored.
  token_hash bytea not null unique,
  -- Null for a link invitation anyone holding the link may use.
  email text check (email = lower(email)),
  role text not null check (role in ('coordinator', 'member')),
  expires_at timestamptz not null,
  used_at timestamptz,
  used_by uuid references users (id) on delete set null,
  revoked_at timestamptz,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now()
);
create index group_invitations_group_idx on group_invitations (group_id, created_at);

create table activities (
  id uuid primary key default gen_random_uuid(),
  group_id uuid not null references groups (id) on delete cascade,
  -- The group's country, copied so national totals need no join.
  country char(2) not null check (country ~ '^[A-Z]{2}$'),
  occurred_on date not null,
  kind text not null check (kind in ('talk', 'stall', 'screening', 'business-briefing', 'freedom-week', 'assembly', 'other')),
  audience text not null check (audience in ('school', 'community', 'faith', 'business', 'public', 'other')),
  people_reached integer not null check (people_reached between 0 and 1000000),
  action_pack text check (length(action_pack) <= 200),
  notes text check (length(notes) <= 2000),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now()
);
create index activities_group_idx on activities (group_id, occurred_on);
create index activities_country_idx on activities (country, occurred_on);
