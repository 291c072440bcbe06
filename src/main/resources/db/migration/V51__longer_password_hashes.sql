-- argon2id hashes in their text form (parameters, salt and hash) are longer than bcrypt's 60
-- characters, and longer still with larger cost settings.
alter table app_user alter column password_hash set data type varchar(255);
