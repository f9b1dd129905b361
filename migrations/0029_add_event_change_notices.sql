-- Change notices are throttled per event (src/modules/events/CONTEXT.md, "change notice"). A change of
-- time or place no longer e-mails everyone signed up at once: it opens the event's notice, or folds into
-- the one already pending, and a job sends it when it falls due, stating the event as it is then, so a
-- burst of edits reaches people as one e-mail with the final details. A cancellation still goes at once,
-- and ends the pending notice (its e-mail states the event as it is).
--   notice_due         when the pending notice goes; null: none pending
--   notice_changes     what changed since people were last told ('time', 'place')
--   notice_changed_at  the last change folded in: whoever signed up after it was sent the final details
-- Kept in the event's row, with the job queued in the same transaction, so a process stopped in between
-- loses nothing: the row says a notice is owed until it is sent.
alter table events add column notice_due timestamptz;
alter table events add column notice_changes text[];
alter table events add column notice_changed_at timestamptz;
alter table events add constraint events_notice_whole check (
  (notice_due is null) = (notice_changes is null) and (notice_due is null) = (notice_changed_at is null)
);
create index events_notice_due_idx on events (notice_due) where notice_due is not null;
