-- The map-cell trigger on reports (migration 0010) in time linear in the rows a statement updates,
-- for the reason and in the way migration 0025 does it for the route-flow trigger.
--
-- 0010's update branch joined the statement's old and new rows on id. PL/pgSQL keeps a statement's
-- plan for the rest of the session, made for the transition tables' sizes at its first call; the
-- first call on a connection is usually one report (a coordinator's triage), so the plan is a nested
-- loop, and a later bulk update on that connection pays N². Measured after a one-report update, one
-- update of 2,000 / 5,000 reports spent 1.8–4.8 s / 48–54 s in this trigger on PostgreSQL 15
-- (3.7–4.3 s for 2,000 on PGlite), and spends 9–10 ms / 35–40 ms in this version (20–21 ms on PGlite).
--
-- A report's counts depend only on its country, holder, cell, status and types, so the change a
-- statement makes is (sum over new rows) − (sum over old rows). `except all` drops the rows whose
-- five columns are the same before and after from both sides (keeping duplicates, treating nulls as
-- equal), so only the rows that moved are counted, without a join. The INSERT and DELETE branches
-- are 0010's, unchanged.

create or replace function report_map_cells_refresh() returns trigger language plpgsql as $$
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
      select d.country, coalesce(d.group_id, '00000000-0000-0000-0000-000000000000'::uuid), d.h3_cell, d.status, t.type, sum(d.sign)
        from (select gone.*, -1 as sign
                from (select o.country, o.group_id, o.h3_cell, o.status, o.exploitation_types from old_rows o where o.h3_cell is not null
                      except all
                      select n.country, n.group_id, n.h3_cell, n.status, n.exploitation_types from new_rows n where n.h3_cell is not null) as gone
              union all
              select came.*, 1 as sign
                from (select n.country, n.group_id, n.h3_cell, n.status, n.exploitation_types from new_rows n where n.h3_cell is not null
                      except all
                      select o.country, o.group_id, o.h3_cell, o.status, o.exploitation_types from old_rows o where o.h3_cell is not null) as came) d
        cross join lateral (select '*' as type union select unnest(d.exploitation_types)) t
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
