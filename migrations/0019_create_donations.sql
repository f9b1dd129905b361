-- Donations through a payment provider (Stripe Checkout first), the provider's webhook events, and
-- UK Gift Aid declarations. See src/modules/donations/CONTEXT.md.
--
-- A donation row holds no personal data: the provider collects card details and the donor's e-mail.
-- A Gift Aid declaration is restricted personal data: name, home address and postcode are sealed
-- under the data keys (k<id>.… values), and read only for a claim export, which is audited.

-- The finance role: people who prepare Gift Aid claims (they read declarations, so they use two-factor).
alter table user_roles drop constraint user_roles_role_check;
alter table user_roles add constraint user_roles_role_check
  check (role in ('admin', 'national-coordinator', 'group-coordinator', 'member', 'partner', 'editor', 'finance'));

create table donations (
  id uuid primary key default gen_random_uuid(),
  -- Integer minor units of the currency (pence, cents; yen and CFA francs have none).
  amount_minor bigint not null check (amount_minor > 0 and amount_minor <= 99999999),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  frequency text not null check (frequency in ('one-off', 'monthly')),
  status text not null default 'pledged' check (status in ('pledged', 'succeeded', 'failed', 'refunded', 'cancelled')),
  provider text not null check (provider in ('stripe')),
  -- The provider's unique reference for this donation (a Checkout Session id): one row per session, ever.
  provider_reference text not null,
  -- Filled in by webhooks: the subscription of a monthly donation, the payment of a one-off one.
  provider_subscription text,
  test_mode boolean not null,
  -- Where the donor pays (the provider's hosted page); shown on our "continue to payment" page.
  checkout_url text not null check (checkout_url ~ '^https?://'),
  created_at timestamptz not null default now(),
  status_changed_at timestamptz not null default now(),
  constraint donations_provider_reference_key unique (provider, provider_reference)
);
create unique index donations_subscription_idx on donations (provider, provider_subscription) where provider_subscription is not null;
create index donations_created_idx on donations (created_at desc);

-- Each payment taken for a donation: one for a one-off donation, one a month for a monthly one.
-- Keyed by the provider's reference (a payment intent or an invoice), so a repeated event never
-- records a payment twice.
create table donation_payments (
  id uuid primary key default gen_random_uuid(),
  donation_id uuid not null references donations (id),
  provider text not null,
  provider_reference text not null,
  amount_minor bigint not null check (amount_minor >= 0),
  currency char(3) not null,
  status text not null check (status in ('succeeded', 'refunded')),
  paid_at timestamptz not null,
  refunded_at timestamptz,
  constraint donation_payments_reference_key unique (provider, provider_reference)
);
create index donation_payments_donation_idx on donation_payments (donation_id);

-- Every webhook event accepted (signature verified), once: the primary key makes a repeated
-- delivery a no-op. The payload is not kept (it may carry the donor's e-mail and name).
create table payment_events (
  provider text not null,
  event_id text not null,
  type text not null,
  -- applied: it changed a donation; ignored: nothing to do (unknown type or donation, or a stale state).
  outcome text not null check (outcome in ('applied', 'ignored')),
  donation_id uuid references donations (id),
  provider_created_at timestamptz,
  received_at timestamptz not null default now(),
  primary key (provider, event_id)
);

create table gift_aid_declarations (
  id uuid primary key default gen_random_uuid(),
  -- The donation it was made with; for scope 'all' it also covers the donor's gifts of the past four
  -- years and the future until the end date.
  donation_id uuid not null references donations (id),
  scope text not null check (scope in ('this-donation', 'all')),
  -- The exact wording the donor confirmed (versions are kept in code and never edited).
  statement_version text not null,
  title_sealed text,
  first_name_sealed text not null,
  last_name_sealed text not null,
  address_sealed text not null,
  postcode_sealed text not null,
  declared_on date not null,
  -- The last day it covers; null for an open-ended declaration (until the donor cancels it).
  ends_on date,
  created_at timestamptz not null default now(),
  constraint gift_aid_one_per_donation unique (donation_id),
  constraint gift_aid_end_after_start check (ends_on is null or ends_on >= declared_on)
);
