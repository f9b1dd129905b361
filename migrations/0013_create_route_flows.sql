-- Trafficking routes (issue 6): country-to-country flows from reports' route facts, and the CTDC
-- context layer.
--
-- report_route_flows is owned by the reports module (src/modules/reports/route-queries.ts reads it;
-- the routes module asks through reports/index.ts). It holds, per holder and month received, how
-- many reports name each leg (from country → to country), kept by statement-level triggers on
-- reports, so a year of flows reads a few thousand rows, never the reports. Country codes and
-- counts only: nothing restricted, nothing that names a report.
--
-- Legs of one report (route facts are sets of countries, their order within a set unknown):
--   with transit countries: each origin → each transit, each transit → each destination;
--   without: each origin → each destination.
--   No destination given: the country the report was made in is the destination (that is where it
--   was seen). No origin and no transit: no leg.
-- Rejected reports and merged duplicates are not counted.

create function report_route_legs(origin text[], transit text[], destination text[], seen text)
  returns table (from_country text, to_country text)
  language sql immutable parallel safe
  as $$
    select distinct leg.f, leg.t from (
      select o.c, tr.c from unnest(origin) as o(c) cross join unnest(transit) as tr(c)
      union all
      select tr.c, d.c from unnest(transit) as tr(c)
        cross join unnest(case when cardinality(destination) > 0 then destination else array[seen] end) as d(c)
      union all
      select o.c, d.c from unnest(origin) as o(c)
        cross join unnest(case when cardinality(destination) > 0 then destination else array[seen] end) as d(c)
       where cardinality(transit) = 0
    ) as leg(f, t)
  $$;

create table report_route_flows (
  -- The holder: the group, the nil uuid for the national inbox of the country, or the max uuid
  -- (ffffffff-…) for every report of the country whoever holds it (what national coordinators and
  -- public statistics read, so they never sum over groups).
  group_key uuid not null,
  -- The country the report was made in.
  country char(2) not null,
  -- The first day of the month the report was received.
  month date not null,
  -- Triaged, graded, shared or closed: a coordinator has looked at it (public statistics count only these).
  reviewed boolean not null,
  -- The report's exploitation types, sorted and distinct ('{}' when none): a type filter sums the
  -- rows whose set holds the type, so a report of two types is counted once under "all types".
  exploitation_types text[] not null,
  from_country char(2) not null,
  to_country char(2) not null,
  -- No check (reports >= 0): the upsert proposes negative rows that then land on existing ones.
  reports integer not null,
  primary key (group_key, country, month, reviewed, exploitation_types, from_country, to_country)
);

create function report_route_flows_refresh() returns trigger language plpgsql as $$
begin
  -- On update, d holds one signed row per changed report: its old facts (−1) and its new ones (+1).
  if tg_op = 'INSERT' then
    insert into report_route_flows as f (group_key, country, month, reviewed, exploitation_types, from_country, to_country, reports)
      select k.group_key, d.country, date_trunc('month', d.received_on)::date, d.status <> 'received',
             array(select distinct x from unnest(d.exploitation_types) as x order by 1), l.from_country, l.to_country, count(*)
        from new_rows d
        cross join lateral report_route_legs(d.route_origin, d.route_transit, d.route_destination, d.country::text) l
        cross join lateral (values (coalesce(d.group_id, '00000000-0000-0000-0000-000000000000'::uuid)), ('ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)) as k(group_key)
       where d.status not in ('rejected', 'duplicate')
       group by 1, 2, 3, 4, 5, 6, 7
    on conflict (group_key, country, month, reviewed, exploitation_types, from_country, to_country)
      do update set reports = f.reports + excluded.reports;
  elsif tg_op = 'UPDATE' then
    insert into report_route_flows as f (group_key, country, month, reviewed, exploitation_types, from_country, to_country, reports)
      select k.group_key, d.country, date_trunc('month', d.received_on)::date, d.status <> 'received',
             array(select distinct x from unnest(d.exploitation_types) as x order by 1), l.from_country, l.to_country, sum(d.sign)
        from (select o.country, o.group_id, o.received_on, o.status, o.exploitation_types, o.route_origin, o.route_transit, o.route_destination, -1 as sign
                from old_rows o join new_rows n on n.id = o.id
               where (o.country, o.group_id, o.received_on, o.status, o.exploitation_types, o.route_origin, o.route_transit, o.route_destination)
                     is distinct from (n.country, n.group_id, n.received_on, n.status, n.exploitation_types, n.route_origin, n.route_transit, n.route_destination)
              union all
              select n.country, n.group_id, n.received_on, n.status, n.exploitation_types, n.route_origin, n.route_transit, n.route_destination, 1 as sign
                from old_rows o join new_rows n on n.id = o.id
               where (o.country, o.group_id, o.received_on, o.status, o.exploitation_types, o.route_origin, o.route_transit, o.route_destination)
                     is distinct from (n.country, n.group_id, n.received_on, n.status, n.exploitation_types, n.route_origin, n.route_transit, n.route_destination)) d
        cross join lateral report_route_legs(d.route_origin, d.route_transit, d.route_destination, d.country::text) l
        cross join lateral (values (coalesce(d.group_id, '00000000-0000-0000-0000-000000000000'::uuid)), ('ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)) as k(group_key)
       where d.status not in ('rejected', 'duplicate')
       group by 1, 2, 3, 4, 5, 6, 7
      having sum(d.sign) <> 0
    on conflict (group_key, country, month, reviewed, exploitation_types, from_country, to_country)
      do update set reports = f.reports + excluded.reports;
  else
    insert into report_route_flows as f (group_key, country, month, reviewed, exploitation_types, from_country, to_country, reports)
      select k.group_key, d.country, date_trunc('month', d.received_on)::date, d.status <> 'received',
             array(select distinct x from unnest(d.exploitation_types) as x order by 1), l.from_country, l.to_country, -count(*)
        from old_rows d
        cross join lateral report_route_legs(d.route_origin, d.route_transit, d.route_destination, d.country::text) l
        cross join lateral (values (coalesce(d.group_id, '00000000-0000-0000-0000-000000000000'::uuid)), ('ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)) as k(group_key)
       where d.status not in ('rejected', 'duplicate')
       group by 1, 2, 3, 4, 5, 6, 7
    on conflict (group_key, country, month, reviewed, exploitation_types, from_country, to_country)
      do update set reports = f.reports + excluded.reports;
  end if;
  return null;
end
$$;

create trigger reports_route_flows_insert after insert on reports
  referencing new table as new_rows for each statement execute function report_route_flows_refresh();
create trigger reports_route_flows_update after update on reports
  referencing old table as old_rows new table as new_rows for each statement execute function report_route_flows_refresh();
create trigger reports_route_flows_delete after delete on reports
  referencing old table as old_rows for each statement execute function report_route_flows_refresh();

insert into report_route_flows (group_key, country, month, reviewed, exploitation_types, from_country, to_country, reports)
  select k.group_key, d.country, date_trunc('month', d.received_on)::date, d.status <> 'received',
         array(select distinct x from unnest(d.exploitation_types) as x order by 1), l.from_country, l.to_country, count(*)
    from reports d
    cross join lateral report_route_legs(d.route_origin, d.route_transit, d.route_destination, d.country::text) l
    cross join lateral (values (coalesce(d.group_id, '00000000-0000-0000-0000-000000000000'::uuid)), ('ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)) as k(group_key)
   where d.status not in ('rejected', 'duplicate')
   group by 1, 2, 3, 4, 5, 6, 7;

-- The CTDC context layer (owned by the routes module): what `cast import ctdc FILE.csv` brought in,
-- kept apart from CAST's own reports and labelled. Only counts of records per year, citizenship,
-- country of exploitation and exploitation types are kept, never the rows themselves. The newest
-- import is the layer shown.
create table ctdc_imports (
  id uuid primary key default gen_random_uuid(),
  label text not null check (length(label) between 1 and 200),
  file_name text not null check (length(file_name) between 1 and 500),
  -- Which country codes the file used: 'alpha-2' (2017–2021 editions) or 'alpha-3' (v2024 on).
  codes text not null check (codes in ('alpha-2', 'alpha-3', 'mixed', 'none')),
  records integer not null check (records >= 0),
  -- Rows left out because they were invalid (only with --keep-valid).
  rejected integer not null check (rejected >= 0),
  imported_at timestamptz not null default now()
);
create index ctdc_imports_newest_idx on ctdc_imports (imported_at desc);

create table ctdc_flow_counts (
  import_id uuid not null references ctdc_imports (id) on delete cascade,
  -- yearOfRegistration, or 0 when the record has none.
  year smallint not null check (year = 0 or year between 1900 and 2999),
  -- ISO 3166-1 alpha-2, or '' when the record has none.
  citizenship text not null check (citizenship ~ '^([A-Z]{2})?$'),
  exploitation_country text not null check (exploitation_country ~ '^([A-Z]{2})?$'),
  -- CAST taxonomy ids the record's flags map to (labour, sexual, other, …), sorted, distinct.
  exploitation_types text[] not null,
  records integer not null check (records > 0),
  primary key (import_id, year, citizenship, exploitation_country, exploitation_types)
);
