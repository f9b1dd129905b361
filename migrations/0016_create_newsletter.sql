-- The newsletter: lists, confirmed subscribers, suppressions, editions and one delivery row per
-- recipient of an edition.
--
-- Nothing is stored before a sign-up is confirmed: the confirmation link itself carries the request,
-- sealed and authenticated (see src/modules/newsletter/links.ts). A subscriber row exists only once
-- its owner followed that link.

create table newsletter_lists (
  key text primary key check (key ~ '^[a-z][a-z0-9-]{1,39}$'),
  position integer not null,
  created_at timestamptz not null default now()
);
insert into newsletter_lists (key, position) values ('general', 1), ('chocolate', 2), ('groups', 3);

create table newsletter_subscribers (
  id uuid primary key default gen_random_uuid(),
  -- Keyed hash (blind index) of the normalised address: how an address is matched without reading it.
  email_hash bytea not null unique,
  -- The address and name, sealed under the data keys.
  email_sealed text not null,
  name_sealed text,
  language text not null default 'en' check (language in ('en', 'fr')),
  confirmed_at timestamptz not null,
  -- Raised to revoke every preference and unsubscribe link given out so far.
  link_version integer not null default 1,
  created_at timestamptz not null default now()
);

create table newsletter_subscriptions (
  subscriber_id uuid not null references newsletter_subscribers (id) on delete cascade,
  list_key text not null references newsletter_lists (key),
  subscribed_at timestamptz not null default now(),
  primary key (subscriber_id, list_key)
);
create index newsletter_subscriptions_list_idx on newsletter_subscriptions (list_key, subscriber_id);

-- Addresses that must not be mailed (hard bounces, complaints), by keyed hash: kept after erasure so
-- a complaint is honoured for good, without keeping the address.
create table newsletter_suppressions (
  email_hash bytea primary key,
  reason text not null check (reason in ('hard-bounce', 'complaint')),
  suppressed_at timestamptz not null default now()
);

create table newsletter_editions (
  id uuid primary key default gen_random_uuid(),
  subject text not null check (length(subject) between 1 and 200),
  body_markdown text not null check (length(body_markdown) between 1 and 100000),
  lists text[] not null,
  status text not null default 'draft' check (status in ('draft', 'scheduled', 'sending', 'sent')),
  scheduled_for timestamptz,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  send_started_at timestamptz,
  sent_at timestamptz,
  -- Kept when sending ends, so totals survive subscribers erasing their data.
  sent_count integer
);
create index newsletter_editions_due_idx on newsletter_editions (scheduled_for) where status = 'scheduled';

-- One row per recipient of an edition, made when sending starts. A sender claims rows (pending →
-- sending, FOR UPDATE SKIP LOCKED, so two processes never claim one row) and marks each one sent
-- as soon as the mail server accepted it. A claim left behind by a process that died is never
-- retried (it becomes 'uncertain'): nobody receives an edition twice.
create table newsletter_deliveries (
  edition_id uuid not null references newsletter_editions (id) on delete cascade,
  subscriber_id uuid not null references newsletter_subscribers (id) on delete cascade,
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'skipped', 'failed', 'uncertain')),
  attempts integer not null default 0,
  claimed_by text,
  claimed_at timestamptz,
  sent_at timestamptz,
  primary key (edition_id, subscriber_id)
);
create index newsletter_deliveries_pending_idx on newsletter_deliveries (edition_id, subscriber_id) where status = 'pending';
create index newsletter_deliveries_claimed_idx on newsletter_deliveries (edition_id, claimed_at) where status = 'sending';
create index newsletter_deliveries_subscriber_idx on newsletter_deliveries (subscriber_id);
