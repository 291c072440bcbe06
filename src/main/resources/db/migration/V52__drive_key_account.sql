-- The account a drive key was installed in, on the key's row: the sharing pages look for keys of
-- former delegates among the keys installed in the account, from this index, instead of walking
-- every infrastructure and drive of the account.
alter table drive_key add column account_id bigint;
update drive_key set account_id = (select i.account_id from drive d join infrastructure i on i.id = d.infrastructure_id
                                   where d.id = drive_key.drive_id);
create index ix_drive_key_account on drive_key (account_id, removed_at, user_id);
