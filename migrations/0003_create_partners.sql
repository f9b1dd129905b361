-- Partner organisations (police, councils, social care, health, NGOs), the accounts that act for
-- them, and partnerships between a CAST group and a partner under an information-sharing agreement.

create table partner_organisations (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('police', 'council', 'social-care', 'health', 'ngo', 'other')),
  name text not null check (length(name) between 1 and 200),
  -- ISO 3166-1 alpha-2.
  country text not null check (country ~ '^[A-Z]{2}$'),
  -- The locality the partner serves, as people name it ("West Yorkshire").
  area text not null check (length(area) between 1 and 200),
  -- Optionally a centre and radius for the area; all three or none.
  latitude double precision check (latitude between -90 and 90),
  longitude double precision check (longitude between -180 and 180),
  radius_km double precision check (radius_km > 0 and radius_km <= 2000),
  contact_email text not null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  verified_at timestamptz,
  verified_by uuid references users (id) on delete set null,
  constraint partner_organisations_point check ((latitude is null) = (longitude is null) and (latitude is null) = (radius_km is null))
);
create unique index partner_organisations_name_key on partner_organisations (country, lower(name));

-- Accounts that act for a partner organisation. Adding one also grants the global role 'partner'.
create table partner_users (
  partner_id uuid not null references partner_organisations (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  added_by uuid references users (id) on delete set null,
  added_at timestamptz not null default now(),
  primary key (partner_id, user_id)
);
create index partner_users_user_idx on partner_users (user_id);

create table partnerships (
  id uuid primary key default gen_random_uuid(),
  group_id uuid not null references groups (id) on delete cascade,
  partner_id uuid not null references partner_organisations (id) on delete cascade,
  status text not null default 'proposed' check (status in ('proposed', 'active', 'declined', 'ended')),
  -- The information-sharing agreement.
  agreement_reference text not null check (length(agreement_reference) between 1 and 120),
  agreement_signed_on date not null,
  contacts text not null check (length(contacts) between 1 and 2000),
  handling_codes text[] not null check (cardinality(handling_codes) between 1 and 2 and handling_codes <@ array['P', 'C']),
  -- Required when the agreement covers handling code C: the conditions, written down.
  conditions text,
  proposed_by uuid references users (id) on delete set null,
  proposed_at timestamptz not null default now(),
  responded_by uuid references users (id) on delete set null,
  responded_at timestamptz,
  ended_by uuid references users (id) on delete set null,
  ended_on date,
  constraint partnerships_conditions check (not ('C' = any (handling_codes)) or coalesce(length(trim(conditions)), 0) > 0),
  constraint partnerships_ended check ((status = 'ended') = (ended_on is not null))
);
-- One open (proposed or active) partnership per group and partner.
create unique index partnerships_open_key on partnerships (group_id, partner_id) where status in ('proposed', 'active');
create index partnerships_partner_idx on partnerships (partner_id);
