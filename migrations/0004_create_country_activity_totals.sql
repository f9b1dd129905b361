-- National activity totals, kept per country, month and audience by triggers on activities, so a
-- national coordinator's totals read a few hundred rows instead of every activity of the country.
-- Statement-level triggers with transition tables: a bulk insert updates each total once.
-- (A restore copies this table as it was; triggers are off while it runs.)

create table country_activity_totals (
  country char(2) not null,
  month date not null,
  audience text not null,
  activities bigint not null,
  people_reached bigint not null,
  primary key (country, month, audience)
);

insert into country_activity_totals (country, month, audience, activities, people_reached)
  select country, date_trunc('month', occurred_on)::date, audience, count(*), sum(people_reached)
  from activities
  group by 1, 2, 3;

create function country_activity_totals_added() returns trigger language plpgsql as $$
begin
  insert into country_activity_totals as t (country, month, audience, activities, people_reached)
    select country, date_trunc('month', occurred_on)::date, audience, count(*), sum(people_reached)
    from added
    group by 1, 2, 3
  on conflict (country, month, audience) do update
    set activities = t.activities + excluded.activities, people_reached = t.people_reached + excluded.people_reached;
  return null;
end;
$$;

create function country_activity_totals_removed() returns trigger language plpgsql as $$
begin
  update country_activity_totals t
    set activities = t.activities - r.activities, people_reached = t.people_reached - r.people_reached
    from (select country, date_trunc('month', occurred_on)::date as month, audience, count(*) as activities, sum(people_reached) as people_reached
          from removed group by 1, 2, 3) r
    where t.country = r.country and t.month = r.month and t.audience = r.audience;
  return null;
end;
$$;

create function country_activity_totals_changed() returns trigger language plpgsql as $$
begin
  update country_activity_totals t
    set activities = t.activities - r.activities, people_reached = t.people_reached - r.people_reached
    from (select country, date_trunc('month', occurred_on)::date as month, audience, count(*) as activities, sum(people_reached) as people_reached
          from removed group by 1, 2, 3) r
    where t.country = r.country and t.month = r.month and t.audience = r.audience;
  insert into country_activity_totals as t (country, month, audience, activities, people_reached)
    select country, date_trunc('month', occurred_on)::date, audience, count(*), sum(people_reached)
    from added
    group by 1, 2, 3
  on conflict (country, month, audience) do update
    set activities = t.activities + excluded.activities, people_reached = t.people_reached + excluded.people_reached;
  return null;
end;
$$;

create trigger activities_totals_insert after insert on activities
  referencing new table as added for each statement execute function country_activity_totals_added();
create trigger activities_totals_delete after delete on activities
  referencing old table as removed for each statement execute function country_activity_totals_removed();
create trigger activities_totals_update after update on activities
  referencing old table as removed new table as added for each statement execute function country_activity_totals_changed();
