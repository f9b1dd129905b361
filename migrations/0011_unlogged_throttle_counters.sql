-- Rate-limit counters live for minutes and are worth nothing after a crash, so they need not go
-- through the write-ahead log: counting a request then costs no sync to disk, where every
-- rate-limited request (each report, each sign-in) used to wait for one. After a crash the table
-- starts empty, which only forgives the requests of the current window. Replicas do not get it;
-- counters are only ever read on the primary.
alter table throttle_counters set unlogged;
