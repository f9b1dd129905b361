-- The chocolate campaign: the company scorecard, commitments, the traffik-free guide and the
-- chocolate action e-mail (see src/modules/chocolate/CONTEXT.md).

-- ------------------------------------------------------------------ scorecard
create table chocolate_companies (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  name text not null check (length(name) between 1 and 120),
  country char(2) not null check (country ~ '^[A-Z]{2}$'),
  brands text[] not null default '{}',
  parent_company text check (length(parent_company) <= 120),
  -- Where campaign e-mails go; a company without one cannot be chosen for the action e-mail.
  contact_email text check (length(contact_email) <= 254),
  website text check (website ~ '^https?://' and length(website) <= 500),
  -- Offered first (ticked) on the action e-mail form.
  suggested boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index chocolate_companies_name_idx on chocolate_companies (lower(name), id);

create table chocolate_criteria (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  name text not null check (length(name) between 1 and 120),
  description text not null default '' check (length(description) <= 1000),
  position integer not null default 0
);

-- (company, criterion, year) → grade on the scale A (leading) … E (no action or no information).
create table chocolate_assessments (
  company_id uuid not null references chocolate_companies (id) on delete cascade,
  criterion_id uuid not null references chocolate_criteria (id) on delete cascade,
  year smallint not null check (year between 2000 and 2100),
  grade char(1) not null check (grade in ('A', 'B', 'C', 'D', 'E')),
  source_url text not null check (source_url ~ '^https?://' and length(source_url) <= 500),
  note text not null default '' check (length(note) <= 2000),
  updated_at timestamptz not null default now(),
  primary key (company_id, criterion_id, year)
);
-- The scorecard reads one year for every company.
create index chocolate_assessments_year_idx on chocolate_assessments (year, company_id);

-- ------------------------------------------------------------------ commitments
create table chocolate_commitments (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  title text not null check (length(title) between 1 and 200),
  body text not null check (length(body) between 1 and 4000),
  made_by text not null check (length(made_by) between 1 and 300),
  -- Set when one company on the scorecard made the promise.
  company_id uuid references chocolate_companies (id) on delete set null,
  made_on date not null,
  -- The deadline in force (after any extension).
  deadline date,
  status text not null default 'pending' check (status in ('pending', 'met', 'missed', 'extended')),
  source_url text not null check (source_url ~ '^https?://' and length(source_url) <= 500),
  created_at timestamptz not null default now()
);
create index chocolate_commitments_company_idx on chocolate_commitments (company_id);

-- Dated events of a commitment: an extension (with its new deadline) or a finding about progress.
create table chocolate_commitment_events (
  id uuid primary key default gen_random_uuid(),
  commitment_id uuid not null references chocolate_commitments (id) on delete cascade,
  kind text not null check (kind in ('extension', 'finding')),
  on_date date not null,
  new_deadline date,
  summary text not null check (length(summary) between 1 and 4000),
  source_url text not null check (source_url ~ '^https?://' and length(source_url) <= 500),
  constraint chocolate_extension_has_deadline check (kind <> 'extension' or new_deadline is not null)
);
create index chocolate_commitment_events_idx on chocolate_commitment_events (commitment_id, on_date);

-- ------------------------------------------------------------------ the traffik-free guide
create table chocolate_guide_entries (
  id uuid primary key default gen_random_uuid(),
  brand text not null check (length(brand) between 1 and 120),
  country char(2) not null check (country ~ '^[A-Z]{2}$'),
  certification text not null check (certification in ('fairtrade', 'rainforest-alliance', 'organic', 'other')),
  company_id uuid references chocolate_companies (id) on delete set null,
  note text not null default '' check (length(note) <= 1000),
  website text check (website ~ '^https?://' and length(website) <= 500)
);
create unique index chocolate_guide_brand_idx on chocolate_guide_entries (country, lower(brand));

-- ------------------------------------------------------------------ campaigns and the action e-mail
create table chocolate_campaigns (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  title text not null,
  -- What the countdown counts down to.
  deadline date not null,
  suggested_subject text not null,
  suggested_message text not null,
  active boolean not null default true,
  created_at timestamptz not null default now()
);

-- A supporter's request: pending until the link in the confirmation e-mail is used. Name, address
-- and message are sealed; the address is matched by its keyed hash only.
create table chocolate_action_requests (
  id uuid primary key default gen_random_uuid(),
  campaign_id uuid not null references chocolate_campaigns (id),
  email_hash bytea not null,
  name_sealed text not null,
  email_sealed text not null,
  subject_sealed text not null,
  message_sealed text not null,
  company_ids uuid[] not null,
  language text not null default 'en',
  token_hash bytea not null unique,
  -- MinHash signature of the message's word shingles (near-identical messages are held).
  signature integer[] not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  confirmed_at timestamptz,
  -- Held for review: when an editor decided, and what.
  review text check (review in ('held', 'approved', 'rejected')),
  reviewed_at timestamptz
);
create index chocolate_requests_held_idx on chocolate_action_requests (created_at) where review = 'held';
create index chocolate_requests_expiry_idx on chocolate_action_requests (expires_at) where confirmed_at is null;

-- One message per supporter per company per campaign.
create table chocolate_action_messages (
  id uuid primary key default gen_random_uuid(),
  request_id uuid not null references chocolate_action_requests (id) on delete cascade,
  campaign_id uuid not null references chocolate_campaigns (id),
  company_id uuid not null references chocolate_companies (id) on delete cascade,
  email_hash bytea not null,
  status text not null check (status in ('queued', 'held', 'sent', 'rejected')),
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  reply_token_hash bytea unique,
  reply_asked_at timestamptz,
  reply text check (reply in ('yes', 'no')),
  replied_at timestamptz,
  constraint chocolate_one_message unique (campaign_id, company_id, email_hash)
);
create index chocolate_messages_totals_idx on chocolate_action_messages (campaign_id, company_id, status);
create index chocolate_messages_request_idx on chocolate_action_messages (request_id);
create index chocolate_messages_ask_idx on chocolate_action_messages (sent_at) where status = 'sent' and reply_asked_at is null;

-- Locality-sensitive hashing of the signatures: a message's bands find its near-identical
-- predecessors through this index instead of a scan of every message.
create table chocolate_message_bands (
  campaign_id uuid not null,
  band smallint not null,
  bucket bigint not null,
  request_id uuid not null references chocolate_action_requests (id) on delete cascade,
  primary key (campaign_id, band, bucket, request_id)
);

-- ------------------------------------------------------------------ seed facts
insert into chocolate_criteria (slug, name, description, position) values
  ('traceability', 'Traceability', 'How far the company can trace its cocoa back to the farms and co-operatives that grew it.', 1),
  ('child-forced-labour', 'Child and forced labour', 'Whether the company finds, prevents and remedies child labour and forced labour in its supply chain.', 2),
  ('living-income', 'Living income', 'Whether the company pays prices that let cocoa-farming families earn a living income.', 3),
  ('certified-share', 'Certified cocoa share', 'The share of the company''s cocoa that is independently certified.', 4);

insert into chocolate_campaigns (slug, title, deadline, suggested_subject, suggested_message) values
  ('traffik-free-easter-2027', 'Traffik-free Easter 2027', '2027-03-28',
   'Please make your Easter chocolate traffik-free',
   'Dear chocolate maker,

In 2001 the chocolate industry promised to end the worst forms of child labour and forced labour on cocoa farms. Deadlines in 2005, 2008 and 2020 have come and gone, and a 2020 survey still found about 1.56 million children working in cocoa in Côte d''Ivoire and Ghana.

Before Easter, please tell me what you are doing to trace your cocoa to the farm, to pay farmers enough to live on, and to make all your chocolate independently certified.

I want to enjoy chocolate that nobody was trafficked or forced to make.');

insert into chocolate_commitments (slug, title, body, made_by, made_on, deadline, status, source_url) values
  ('harkin-engel-protocol',
   'Harkin-Engel Protocol',
   'The chocolate and cocoa industry agreed to work to end the worst forms of child labour (ILO Convention 182) and forced labour (ILO Convention 29) in growing and processing cocoa, and to put in place credible, industry-wide standards of public certification.',
   'The chocolate and cocoa industry, with US Senator Tom Harkin and Representative Eliot Engel as witnesses',
   '2001-09-19', '2008-07-01', 'missed',
   'https://www.cocoainitiative.org/sites/default/files/resources/Harkin_Engel_Protocol.pdf'),
  ('framework-of-action-2010',
   'Framework of Action: 70% less child labour by 2020',
   'A new target set under the Protocol: reduce the worst forms of child labour in the cocoa sectors of Côte d''Ivoire and Ghana by 70% by 2020.',
   'The chocolate and cocoa industry, the governments of Côte d''Ivoire, Ghana and the United States',
   '2010-09-13', '2020-12-31', 'missed',
   'https://www.dol.gov/agencies/ilab/our-work/child-forced-labor-trafficking/child-labor-cocoa');

insert into chocolate_commitment_events (commitment_id, kind, on_date, new_deadline, summary, source_url)
select id, 'finding', date '2005-07-01', null::date,
  'The first deadline passed without credible, industry-wide public certification standards in place.',
  'https://www.cocoainitiative.org/sites/default/files/resources/Harkin_Engel_Protocol.pdf'
from chocolate_commitments where slug = 'harkin-engel-protocol'
union all
select id, 'extension', date '2005-07-01', date '2008-07-01',
  'The deadline was moved to 1 July 2008: certification was to cover half of the cocoa-growing areas of Côte d''Ivoire and Ghana, with all of them as the end goal.',
  'https://www.dol.gov/agencies/ilab/our-work/child-forced-labor-trafficking/child-labor-cocoa'
from chocolate_commitments where slug = 'harkin-engel-protocol'
union all
select id, 'finding', date '2008-06-16', null::date,
  'Two weeks before the deadline the industry said data had been gathered for half of the growing areas, but that independent verification would not be complete before the end of 2008.',
  'https://www.dol.gov/agencies/ilab/our-work/child-forced-labor-trafficking/child-labor-cocoa'
from chocolate_commitments where slug = 'harkin-engel-protocol'
union all
select id, 'finding', date '2020-10-01', null::date,
  'NORC at the University of Chicago (published October 2020, data from 2018/19, children aged 5 to 17 in cocoa-farming households): about 1.56 million children in child labour, 1.48 million of them in hazardous work. Prevalence rose to 45% (43% hazardous) from 31% in 2008/09 — 38% in Côte d''Ivoire and 55% in Ghana — while cocoa production grew by 62%. The 70% reduction was not achieved.',
  'https://www.norc.org/research/projects/assessing-progress-in-reducing-child-labor-in-cocoa-growing-areas.html'
from chocolate_commitments where slug = 'framework-of-action-2010';
