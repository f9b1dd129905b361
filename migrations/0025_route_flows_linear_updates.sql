-- The route-flow trigger on reports (migration 0013) in time linear in the rows a statement updates.
--
-- 0013's update branch found the changed reports by joining the statement's old and new rows on id.
-- Transition tables have no index and no statistics, and PL/pgSQL keeps a statement's plan for the
-- rest of the session, made for the transition tables' sizes at its first call. When that call
-- updated a few reports (a coordinator's triage, the usual first call on a pooled connection), the
-- plan is a nested loop, and every later bulk update on that connection pays N²: retention purged
-- 930 reports/s in batches of 100 and 139/s in batches of 500 (docs/benchmarks.md). Measured after
-- a one-report update, one update of 2,000 / 5,000 reports spent 2.6–6.6 s / 45–58 s in this trigger
-- on PostgreSQL 15 (4.9–5.7 s for 2,000 on PGlite), and spends 15–39 ms / 46–78 ms in this version
-- (26–39 ms on PGlite).
--
-- This version needs no join. A report's contribution to the flows depends only on the eight columns
-- below, so the change a statement makes is (sum over new rows) − (sum over old rows), and a row whose
-- columns are the same before and after adds as much as it takes away. `except all` (hashed or
-- sorted, never a nested loop) drops those identical rows from both sides first, so only the rows
-- that really moved go through report_route_legs; `except all` keeps duplicates (two reports with the
-- same facts are two reports) and treats nulls as equal (a national inbox's null group_id), as
-- `is distinct from` did. Two reports that swap their facts in one statement cancel out too, which is
-- right: the counts are per facts, not per report. The INSERT and DELETE branches are 0013's,
-- unchanged. Migration 0026 does the same for the map-cell trigger.

create or replace function report_route_flows_refresh() returns trigger language plpgsql as $$
begin
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
    -- d holds one signed row per report whose facts changed: its old facts (−1) and its new ones (+1).
    insert into report_route_flows as f (group_key, country, month, reviewed, exploitation_types, from_country, to_country, reports)
      select k.group_key, d.country, date_trunc('month', d.received_on)::date, d.status <> 'received',
             array(select distinct x from unnest(d.exploitation_types) as x order by 1), l.from_country, l.to_country, sum(d.sign)
        from (select gone.*, -1 as sign
                from (select o.country, o.group_id, o.received_on, o.status, o.exploitation_types, o.route_origin, o.route_transit, o.route_destination from old_rows o
                      except all
                      select n.country, n.group_id, n.received_on, n.status, n.exploitation_types, n.route_origin, n.route_transit, n.route_destination from new_rows n) as gone
              union all
              select came.*, 1 as sign
                from (select n.country, n.group_id, n.received_on, n.status, n.exploitation_types, n.route_origin, n.route_transit, n.route_destination from new_rows n
                      except all
                      select o.country, o.group_id, o.received_on, o.status, o.exploitation_types, o.route_origin, o.route_transit, o.route_destination from old_rows o) as came) d
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
