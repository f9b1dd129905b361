-- Retention of the chocolate action e-mail and of Gift Aid declarations (issue 10; decisions 0018
-- and 0024). The retention job erases a confirmed request's supporter and letter some days after
-- its messages were sent or rejected; its messages stay, so the totals per company and the replies
-- tally do not change.

-- An erased request keeps its campaign, the companies chosen, its language and its dates; the name,
-- address, subject, message, the address's keyed hash, the used confirmation token's hash and the
-- letter's MinHash signature go.
alter table chocolate_action_requests
  alter column email_hash drop not null,
  alter column name_sealed drop not null,
  alter column email_sealed drop not null,
  alter column subject_sealed drop not null,
  alter column message_sealed drop not null,
  alter column token_hash drop not null,
  alter column signature drop not null,
  add column erased_at timestamptz;
-- A request is whole until it is erased, and empty after: never half of each.
alter table chocolate_action_requests add constraint chocolate_request_whole_until_erased
  check (erased_at is not null or (email_hash is not null and name_sealed is not null and email_sealed is not null
    and subject_sealed is not null and message_sealed is not null and token_hash is not null and signature is not null));
alter table chocolate_action_requests add constraint chocolate_request_empty_once_erased
  check (erased_at is null or (email_hash is null and name_sealed is null and email_sealed is null
    and subject_sealed is null and message_sealed is null and token_hash is null and signature is null));
-- The job reads confirmed requests not yet erased, oldest first; erased ones drop out of the index.
create index chocolate_requests_retention_idx on chocolate_action_requests (confirmed_at) where erased_at is null and confirmed_at is not null;

-- A message of an erased request keeps its company, campaign, status, dates and reply, not the
-- supporter's keyed hash (null is distinct in the one-message-per-supporter constraint).
alter table chocolate_action_messages alter column email_hash drop not null;

-- Gift Aid declarations are deleted years after their last gift; the job reads only declarations
-- made before its cut-off through this index.
create index gift_aid_declarations_declared_idx on gift_aid_declarations (declared_on);
