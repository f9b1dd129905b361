-- "Would you know?" self-check: anonymous totals only. One row per scenario and option holds how
-- many times that option was ticked; the row with option_id '' holds how many checks were sent. No
-- person, address, session, time or answer set is ever stored, so no answer can be traced back.
create table self_check_totals (
  scenario_id text not null check (scenario_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  option_id text not null check (option_id = '' or option_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  picked bigint not null default 0 check (picked >= 0),
  primary key (scenario_id, option_id)
);
