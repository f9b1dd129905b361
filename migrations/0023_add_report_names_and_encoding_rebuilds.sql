-- Names heard or seen (a person's name or nickname, a business name): restricted, so sealed like the
-- account and the contact — a JSON array of strings encrypted under the data keys, never in clear.
-- The fuzzy linker encodes them as keyed Bloom filters (correlation_encodings, field 'name') at
-- submission. No default, so adding the column rewrites nothing.
alter table reports add column names_sealed text;

-- A rebuild of every fuzzy encoding from the sealed fields (`cast correlation relink --encodings`),
-- after a key or encoding change. It works in batches and keeps its place here, committed with each
-- batch, so an interrupted rebuild resumes where it stopped. Phase 'encodings' walks reports by id;
-- phase 'bands' then deletes the bands left by the encodings it replaced.
create table correlation_rebuilds (
  id uuid primary key default gen_random_uuid(),
  phase text not null default 'encodings' check (phase in ('encodings', 'bands', 'done')),
  after_report uuid,
  after_band bigint,
  after_encoding bigint,
  reports integer not null default 0,
  encodings integer not null default 0,
  links integer not null default 0,
  bands_deleted bigint not null default 0,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
-- At most one rebuild under way.
create unique index correlation_rebuilds_running_idx on correlation_rebuilds ((true)) where finished_at is null;
