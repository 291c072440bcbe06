-- When the holder of a time-limited grant was told that it ends soon: once per grant, whichever
-- instance gets there first (a conditional update on a null column).
alter table access_grant add column ending_notice_at timestamp(6) with time zone;
create index ix_access_grant_ends_at on access_grant (status, ends_at);
