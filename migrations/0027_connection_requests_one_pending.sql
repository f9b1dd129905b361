-- One pending connection request per requester and report (src/modules/correlation/CONTEXT.md). The
-- "already pending" check of requestConnection runs before its transaction, so two identical requests
-- sent at the same moment could both be stored, and both e-mailed to the national coordinators. This
-- index refuses the second; the service answers it as it answers the check.
--
-- Rows of that race already in a database are resolved first, or the index could not be built: the
-- oldest pending request of each requester and report stays and takes in any linked report a later
-- copy named that it did not (nothing asked for is lost); the later copies go. Decided requests are
-- history and stay as they are.
with copies as (
  select id, requester_id, report_id,
         first_value(id) over (partition by requester_id, report_id order by created_at, id) as kept_id,
         count(*) over (partition by requester_id, report_id) as n
  from connection_requests
  where status = 'pending'
),
merged as (
  select c.kept_id, array_agg(distinct linked.report_id order by linked.report_id) as linked_reports
  from copies c
  join connection_requests r on r.id = c.id
  cross join lateral unnest(r.linked_reports) as linked (report_id)
  where c.n > 1
  group by c.kept_id
)
update connection_requests kept
set linked_reports = merged.linked_reports
from merged
where kept.id = merged.kept_id;

delete from connection_requests c
using (
  select id, row_number() over (partition by requester_id, report_id order by created_at, id) as position
  from connection_requests
  where status = 'pending'
) ranked
where c.id = ranked.id and ranked.position > 1;

create unique index connection_requests_one_pending on connection_requests (requester_id, report_id) where status = 'pending';
