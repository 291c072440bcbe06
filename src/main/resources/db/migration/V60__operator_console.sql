-- R21, the operator console: the hosting company's support staff, named in configuration.

-- An operator acting as a user for support is an impersonation too, carried by the same session
-- column and ended the same ways; it rests on the operator list, not on a grant, and is read-only
-- until the operator confirms that they need to change something.
alter table impersonation add column kind varchar(24) default 'OWNER_BILLING' not null;
alter table impersonation add column changes_allowed_at timestamp(6) with time zone;
alter table impersonation alter column grant_id drop not null;
create index ix_impersonation_owner on impersonation (owner_id, ended_at);

-- What an operator did, in the console or while acting as a user, is marked so the platform-wide
-- audit view can list it whoever the operators are today.
alter table audit_event add column by_operator boolean default false not null;
create index ix_audit_event_operator on audit_event (by_operator, occurred_at);

-- A user an operator disabled: why, when and by whom, until an operator enables them again. The
-- user row itself says DISABLED, which every sign-in, session and API token already checks.
create table user_disablement (
    user_id      bigint        not null primary key references app_user (id),
    disabled_at  timestamp(6) with time zone not null,
    disabled_by  bigint        not null references app_user (id),
    reason       varchar(500)  not null
);
