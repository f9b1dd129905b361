-- Retention (issue 10, decision 0018): reports past the retention period are reduced to statistics
-- by the daily retention job, and supporters' personal data goes when the campaign no longer needs it.

-- The day a report was reduced to statistics: its restricted fields, identifiers, additions, notes
-- and correlation rows are gone, and it can no longer change. Null until then.
alter table reports add column purged_on date;
-- The job walks the reports not yet purged in order of the day received, in batches, so a run reads
-- only the old ones however many there are.
create index reports_retention_idx on reports (received_on, id) where purged_on is null;
-- A purge deletes a report's additions; the cascade to identifiers added with them looks them up by
-- addition, which without this index reads every identifier once per addition.
create index report_identifiers_addition_idx on report_identifiers (addition_id) where addition_id is not null;
-- Handling conditions are a coordinator's words (they may name an officer): a purged report keeps the
-- handling code, not the words.
alter table reports drop constraint reports_conditions_for_c;
alter table reports add constraint reports_conditions_for_c
  check (grade_handling is distinct from 'C' or length(handling_conditions) > 0 or purged_on is not null);

-- Newsletter: since when a subscriber has been on no list. Unsubscribing keeps the row (the
-- preference centre still works for a while); the retention job deletes it some days later.
-- Kept by a trigger on subscriptions, so every way of leaving a list (preference centre, one-click
-- unsubscribe, mailto: unsubscribe) sets it, and joining a list again clears it.
alter table newsletter_subscribers add column unsubscribed_at timestamptz;
create index newsletter_subscribers_unsubscribed_idx on newsletter_subscribers (unsubscribed_at) where unsubscribed_at is not null;

create function newsletter_subscribers_mark_unsubscribed() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    update newsletter_subscribers s set unsubscribed_at = null
      where s.id in (select subscriber_id from changed) and s.unsubscribed_at is not null;
  else
    update newsletter_subscribers s set unsubscribed_at = now()
      where s.id in (select subscriber_id from changed) and s.unsubscribed_at is null
        and not exists (select 1 from newsletter_subscriptions n where n.subscriber_id = s.id);
  end if;
  return null;
end
$$;

create trigger newsletter_subscriptions_added after insert on newsletter_subscriptions
  referencing new table as changed for each statement execute function newsletter_subscribers_mark_unsubscribed();
create trigger newsletter_subscriptions_removed after delete on newsletter_subscriptions
  referencing old table as changed for each statement execute function newsletter_subscribers_mark_unsubscribed();

-- Subscribers already on no list start counting today.
update newsletter_subscribers s set unsubscribed_at = now()
  where not exists (select 1 from newsletter_subscriptions n where n.subscriber_id = s.id);

-- Declaration: signatures never confirmed are erased some days after their link expired; this index
-- finds them without reading the confirmed ones.
create index declaration_signatures_unconfirmed_idx on declaration_signatures (token_expires_at) where confirmed_at is null and erased_at is null;
