-- R18 (proof of the address): an address nobody has proved holds no credential. Passwords typed
-- at sign-up before this version are dropped; whoever follows the activation link chooses one.
update app_user set password_hash = null, password_changed_at = null where status = 'PENDING_ACTIVATION';

-- The name typed at sign-up travels with its activation link (the placeholder of an invited
-- address keeps its name until the address is proved); an email change carries the new address.
alter table user_token add column display_name varchar(100);
alter table user_token add column new_email varchar(254);
