-- The review work queues list a group's (or a country's national inbox's) reports newest day first
-- whatever their status. The indexes of 0006 lead with status, which serves a status filter but not
-- the unfiltered queue: without these, the first page of a queue of 100,000 reports sorts them all.
create index reports_group_recent_idx on reports (group_id, received_on desc, id) where group_id is not null;
create index reports_national_recent_idx on reports (country, received_on desc, id) where group_id is null;
