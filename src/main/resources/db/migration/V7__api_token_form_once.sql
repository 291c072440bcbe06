-- The create form of Settings › API tokens carries a single-use value, so a double click or a
-- reload of the page that showed the secret does not create a second token. Only its hash is kept.
alter table api_token add column form_once_hash varchar(64);
create unique index uk_api_token_form_once on api_token (form_once_hash);
