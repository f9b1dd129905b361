-- Disclosures: packages of graded, sanitised reports sent to a partner through an active
-- partnership, approved by a second coordinator where the group asks for it, acknowledged by the
-- partner, and the outcomes partners feed back.

-- Per group: whether a disclosure needs a second coordinator's approval before it is sent.
create table sharing_group_settings (
  group_id uuid primary key references groups (id) on delete cascade,
  second_approval boolean not null default true,
  updated_by uuid references users (id) on delete set null,
  updated_at timestamptz not null default now()
);

-- What a partnership's agreement lets a disclosure carry beyond the sanitised summary and grade:
-- identifiers in clear (by kind) and precise locations. Absent row: neither.
create table disclosure_terms (
  partnership_id uuid primary key references partnerships (id) on delete cascade,
  identifier_kinds text[] not null default '{}'
    check (identifier_kinds <@ array['phone', 'plate', 'address', 'website', 'handle', 'email']),
  precise_location boolean not null default false,
  set_by uuid references users (id) on delete set null,
  set_at timestamptz not null default now()
);

create table disclosures (
  id uuid primary key default gen_random_uuid(),
  -- A short, non-secret reference people use on the phone ("D-7K2M9QXA").
  reference text not null unique check (reference ~ '^D-[0-9A-Z]{8}$'),
  partnership_id uuid not null references partnerships (id) on delete cascade,
  group_id uuid not null references groups (id) on delete cascade,
  partner_id uuid not null references partner_organisations (id) on delete cascade,
  country char(2) not null check (country ~ '^[A-Z]{2}$'),
  status text not null check (status in ('awaiting-approval', 'sent', 'acknowledged')),
  -- Government security marking, when the group records one.
  marking text check (marking in ('OFFICIAL', 'OFFICIAL-SENSITIVE')),
  handling_codes text[] not null check (cardinality(handling_codes) between 1 and 2 and handling_codes <@ array['P', 'C']),
  report_count integer not null check (report_count between 1 and 200),
  -- The package as the partner reads it (summaries, grades, locations, identifiers where allowed):
  -- frozen when built, so what is approved is what is sent. Restricted: sealed.
  content_sealed text not null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  approved_by uuid references users (id) on delete set null,
  approved_at timestamptz,
  sent_at timestamptz,
  acknowledged_by uuid references users (id) on delete set null,
  acknowledged_at timestamptz,
  constraint disclosures_second_person check (approved_by is null or created_by is null or approved_by <> created_by),
  constraint disclosures_sent check ((status = 'awaiting-approval') = (sent_at is null)),
  constraint disclosures_acknowledged check ((status = 'acknowledged') = (acknowledged_at is not null))
);
create index disclosures_partner_idx on disclosures (partner_id, status, sent_at desc);
create index disclosures_group_idx on disclosures (group_id, created_at desc);
create index disclosures_country_idx on disclosures (country, created_at desc);

create table disclosure_reports (
  disclosure_id uuid not null references disclosures (id) on delete cascade,
  report_id uuid not null references reports (id) on delete cascade,
  primary key (disclosure_id, report_id)
);
create index disclosure_reports_report_idx on disclosure_reports (report_id);

-- What came of a disclosure, as its partner reports it. Counts are numbers of people; the note is
-- for the coordinators only and may carry operational detail: sealed.
create table disclosure_outcomes (
  id uuid primary key default gen_random_uuid(),
  disclosure_id uuid not null references disclosures (id) on delete cascade,
  kind text not null check (kind in ('safeguarding-visit', 'victims-identified', 'arrests', 'investigation-opened', 'no-further-action', 'other')),
  count integer check (count between 1 and 100000),
  constraint disclosure_outcomes_count check ((kind in ('victims-identified', 'arrests')) = (count is not null)),
  note_sealed text,
  recorded_by uuid references users (id) on delete set null,
  recorded_on date not null,
  created_at timestamptz not null default now()
);
create index disclosure_outcomes_disclosure_idx on disclosure_outcomes (disclosure_id);
create index disclosure_outcomes_month_idx on disclosure_outcomes (recorded_on);
