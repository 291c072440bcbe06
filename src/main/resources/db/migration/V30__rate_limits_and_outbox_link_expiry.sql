-- Limits on everything that sends mail or creates what others see (R20), counted here so that every
-- instance sees the same counts: one row per limited key and fixed window. The key is stored as its
-- SHA-256 only (it names an address, a client or a user); window_start is in epoch seconds.
create table rate_limit_counter (
    bucket        varchar(64)  not null,
    window_start  bigint       not null,
    hits          integer      not null,
    constraint pk_rate_limit_counter primary key (bucket, window_start)
);
create index ix_rate_limit_counter_window on rate_limit_counter (window_start);

-- A mail carrying a single-use link is not sent once its link has expired, and after sending (or
-- giving up) its bodies keep the link with the token removed.
alter table outbox_mail add column link_expires_at timestamp(6) with time zone;
