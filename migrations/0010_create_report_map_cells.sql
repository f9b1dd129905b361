-- The group and national maps: how many reports each holder has per H3 cell (resolution 7, the
-- coarse cell kept in clear), status and exploitation type, kept up to date by triggers on reports.
-- A map drawn at world or country zoom then reads a few thousand rows, not a million reports, and
-- never opens a sealed point. Filters the table cannot answer (days, grades, indicators, place
-- types) read the reports themselves through their indexes.
--
-- Owned by the reports module (src/modules/reports/map-queries.ts reads it); the map module asks.

create table report_map_cells (
  country char(2) not null,
  -- The holder: the group, or the nil uuid for the national inbox of the country (a key column
  -- cannot be null, and the nil uuid is never a group's id).
  group_key uuid not null,
  h3_cell text not null,
  status text not null,
  -- A taxonomy exploitation type, or '*' for every report whatever its types (a report with two types
  -- counts once under each type and once under '*').
  exploitation_type text not null,
  -- No check (reports >= 0): the upsert proposes negative rows that then land on existing ones.
  reports integer not null,
  primary key (country, group_key, exploitation_type, status, h3_cell)
);
create index report_map_cells_group_idx on report_map_cells (group_key, exploitation_type, status, h3_cell);

-- Statement-level, over transition tables: a batch insert of 1,000 reports is one grouped upsert,
-- not 1,000. Updates count only rows whose holder, cell, status or types changed (a triage of one
-- report moves one count; a note changes none).
create function report_map_cells_refresh() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into report_map_cells as c (country, group_key, h3_cell, status, exploitation_type, reports)
      select d.country, d.group_key, d.h3_cell, d.status, t.type, sum(d.sign)
        from (select n.country, coalesce(n.group_id, '00000000-0000-0000-0000-000000000000'::uuid) as group_key, n.h3_cell, n.status, n.exploitation_types as types, 1 as sign from new_rows n where n.h3_cell is not null) d
        cross join lateral (select '*' as type union select unnest(d.types)) t
       group by 1, 2, 3, 4, 5
      having sum(d.sign) <> 0
    on conflict (country, group_key, exploitation_type, status, h3_cell)
      do update set reports = c.reports + excluded.reports;
  elsif tg_op = 'UPDATE' then
    insert into report_map_cells as c (country, group_key, h3_cell, status, exploitation_type, reports)
      select d.country, d.group_key, d.h3_cell, d.status, t.type, sum(d.sign)
        from (select o.country, coalesce(o.group_id, '00000000-0000-0000-0000-000000000000'::uuid) as group_key, o.h3_cell, o.status, o.exploitation_types as types, -1 as sign
                from old_rows o join new_rows n on n.id = o.id
               where o.h3_cell is not null and (o.country, o.group_id, o.h3_cell, o.status, o.exploitation_types) is distinct from (n.country, n.group_id, n.h3_cell, n.status, n.exploitation_types)
              union all
              select n.country, coalesce(n.group_id, '00000000-0000-0000-0000-000000000000'::uuid) as group_key, n.h3_cell, n.status, n.exploitation_types as types, 1 as sign
                from old_rows o join new_rows n on n.id = o.id
               where n.h3_cell is not null and (o.country, o.group_id, o.h3_cell, o.status, o.exploitation_types) is distinct from (n.country, n.group_id, n.h3_cell, n.status, n.exploitation_types)) d
        cross join lateral (select '*' as type union select unnest(d.types)) t
       group by 1, 2, 3, 4, 5
      having sum(d.sign) <> 0
    on conflict (country, group_key, exploitation_type, status, h3_cell)
      do update set reports = c.reports + excluded.reports;
  else
    insert into report_map_cells as c (country, group_key, h3_cell, status, exploitation_type, reports)
      select d.country, d.group_key, d.h3_cell, d.status, t.type, sum(d.sign)
        from (select o.country, coalesce(o.group_id, '00000000-0000-0000-0000-000000000000'::uuid) as group_key, o.h3_cell, o.status, o.exploitation_types as types, -1 as sign from old_rows o where o.h3_cell is not null) d
        cross join lateral (select '*' as type union select unnest(d.types)) t
       group by 1, 2, 3, 4, 5
      having sum(d.sign) <> 0
    on conflict (country, group_key, exploitation_type, status, h3_cell)
      do update set reports = c.reports + excluded.reports;
  end if;
  return null;
end
$$;

create trigger reports_map_cells_insert after insert on reports
  referencing new table as new_rows for each statement execute function report_map_cells_refresh();
create trigger reports_map_cells_update after update on reports
  referencing old table as old_rows new table as new_rows for each statement execute function report_map_cells_refresh();
create trigger reports_map_cells_delete after delete on reports
  referencing old table as old_rows for each statement execute function report_map_cells_refresh();

insert into report_map_cells (country, group_key, h3_cell, status, exploitation_type, reports)
  select country, coalesce(group_id, '00000000-0000-0000-0000-000000000000'::uuid), h3_cell, status, t.type, count(*)
    from reports cross join lateral (select '*' as type union select unnest(exploitation_types)) t
   where h3_cell is not null
   group by 1, 2, 3, 4, 5;
