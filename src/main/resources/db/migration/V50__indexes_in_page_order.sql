-- Every list page reads its rows from an index in the order it shows them and stops after one page,
-- so a page costs what it shows whatever the table holds (README › Performance). Each index below
-- names the page it serves; indexes they make redundant (a prefix of a new one) are dropped.

-- The accounts a person can act in, from their grants: the switch menu on every page, the Switch
-- account page, Shared with me. Covering: the status and end date are read from the index.
create index ix_access_grant_grantee_live on access_grant (grantee_id, status, account_id, ends_at);
drop index if exists ix_access_grant_grantee;

-- The people holding access to an account, by person: Who can act here, who has a second factor.
create index ix_access_grant_account_person on access_grant (account_id, grantee_id, status, ends_at);
drop index if exists ix_access_grant_account;

-- Account sharing and an infrastructure's Sharing tab: the newest grants first, all of them or one
-- access group's (label). V40's ascending indexes serve PostgreSQL, which reads an index backwards,
-- but not H2, which does not: these replace them. V40 already indexes sessions by impersonation.
create index ix_access_grant_account_newest on access_grant (account_id, scope, invited_at desc, id desc);
create index ix_access_grant_account_label_newest on access_grant (account_id, scope, label, invited_at desc, id desc);
drop index if exists ix_access_grant_account_list;
drop index if exists ix_access_grant_infrastructure;
create index ix_access_grant_infrastructure on access_grant (infrastructure_id, invited_at desc, id desc);
create index ix_access_grant_infrastructure_label on access_grant (infrastructure_id, label, invited_at desc, id desc);

-- The switch menu's recently used accounts, most recent first.
create index ix_account_visit_user_latest on account_visit (user_id, visited_at desc, account_id);
drop index if exists ix_account_visit_recent;

-- An account's audit log, newest first, unfiltered or filtered by action or by a person's address
-- (as the actor, or as the owner someone acted as).
create index ix_audit_event_account_newest on audit_event (account_id, occurred_at desc, id desc);
drop index if exists ix_audit_event_account_list;
create index ix_audit_event_account_action on audit_event (account_id, action, occurred_at desc, id desc);
create index ix_audit_event_account_user on audit_event (account_id, user_email, occurred_at desc, id desc);
create index ix_audit_event_account_behalf on audit_event (account_id, on_behalf_of_email, occurred_at desc, id desc);
drop index if exists ix_audit_event_account;

-- A person's security log: what they did, what concerned them, what was done as them.
create index ix_audit_event_user_newest on audit_event (user_id, occurred_at desc, id desc);
create index ix_audit_event_subject_newest on audit_event (subject_user_id, occurred_at desc, id desc);
create index ix_audit_event_behalf_newest on audit_event (on_behalf_of_id, occurred_at desc, id desc);
drop index if exists ix_audit_event_user;
drop index if exists ix_audit_event_subject;
drop index if exists ix_audit_event_on_behalf;

-- Notifications, newest first; unread ones for the header's badge.
create index ix_notification_user_newest on notification (user_id, created_at desc, id desc);

-- Infrastructures by name (the list and the usage report). The status is not worth a column of its
-- own: nearly every infrastructure is live, and in front of the name it would spoil the order.
create index ix_infrastructure_account_label on infrastructure (account_id, label, id);
drop index if exists ix_infrastructure_account;
