-- Indexes that PostgreSQL's EXPLAIN asked for on the list pages at 10,000 rows. Each lets a page
-- read its rows in display order and stop after one page, instead of reading every row of the
-- account, joining all users and sorting.

-- Account sharing: an account's grants of one scope, newest first.
create index ix_access_grant_account_list on access_grant (account_id, scope, invited_at, id);

-- An infrastructure's Sharing tab: its grants, newest first (the column had no index at all).
create index ix_access_grant_infrastructure on access_grant (infrastructure_id, invited_at, id);

-- "Acting as you now" on Account sharing, and ending an impersonation, find sessions by it: without
-- this, both read every session.
create index ix_user_session_impersonation on user_session (impersonation_id);

-- The audit log, newest first with the id as tie-breaker: read backwards from the index, no sort.
create index ix_audit_event_account_list on audit_event (account_id, occurred_at, id);
drop index ix_audit_event_account;
