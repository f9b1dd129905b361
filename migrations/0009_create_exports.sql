-- Exports: coordinators' downloads of the reports they may see (CSV, HXL, GeoJSON, KML).
--
-- Small exports stream straight to the browser and leave no row here. A long export runs as a job
-- that writes its file into the data directory: this row tracks it (progress, where the file is,
-- when it expires) for the one person who started it. The filters are kept so the job can run them;
-- no report content is stored here. An export with restricted fields is never written to disk: it
-- is streamed directly (see src/modules/map/CONTEXT.md).
create table exports (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  -- What is exported: one group's reports, or every report of a country (national coordinators).
  group_id uuid references groups (id) on delete cascade,
  country char(2) check (country ~ '^[A-Z]{2}$'),
  constraint exports_one_scope check ((group_id is null) <> (country is null)),
  format text not null check (format in ('csv', 'hxl', 'geojson', 'kml')),
  filters jsonb not null default '{}',
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  rows_done integer not null default 0,
  rows_total integer,
  -- The file's name inside the data directory's exports folder (random, never derived from input).
  file_name text check (file_name ~ '^[0-9a-f-]{36}\.[a-z]+$'),
  bytes bigint,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  expires_at timestamptz not null
);
create index exports_user_idx on exports (user_id, created_at desc);
create index exports_expiry_idx on exports (expires_at);

-- A national coordinator's export walks every report of a country, groups' and the national inbox's,
-- newest day first, by id within a day: without this the keyset over (received_on, id) would sort a country's reports.
create index reports_country_recent_idx on reports (country, received_on desc, id);
