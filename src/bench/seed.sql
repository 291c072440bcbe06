-- Benchmark data, written straight into the H2 file database of a stopped portal after Flyway
-- created the schema (src/bench/run.sh). Bulk statements over system_range, so 10,000 people and
-- 100,000 audit rows take seconds. H2 only; never part of the application.
--
-- Small and large side of each measured page. The small side fills more than one page of 25 rows,
-- so both sides show the same rows and only the data around them differs:
--   owner-s / owner-l   own an account with 30 / 1,000 deployed infrastructures (two running drives
--                       each), 60 / 10,000 account grants (half of them accepted: 30 / 5,000 account
--                       delegates), 3 delegates on their first infrastructure, 100 / 100,000 audit rows
--   member-s / member-l hold a Read-only grant in 30 / 1,000 other accounts, 15 / 20 of them recently
--                       visited, and 30 / 1,000 notifications
--   signin              signs in over and over for the sign-in rate
-- Everyone above signs in with the password bench-password-2026 (this bcrypt hash, cost 12, as an
-- older portal wrote it; the portal upgrades it on the first sign-in).

set @hash = '$2a$12$iF2VFvegbExzUwV8sBuh4.35yDlluNqfJ5YKECGM1PkOKXO9sPGZe';
set @now = current_timestamp;

insert into app_user (email, display_name, password_hash, status, created_at, activated_at)
select 'filler' || x || '@bench.test', 'Filler ' || lpad(x, 5, '0'), null, 'ACTIVE', @now, @now
from system_range(1, 10000);

insert into app_user (email, display_name, password_hash, status, created_at, activated_at, password_changed_at)
select v.email, v.name, @hash, 'ACTIVE', @now, @now, @now
from (values ('owner-s@bench.test', 'Owner Small'), ('owner-l@bench.test', 'Owner Large'),
             ('member-s@bench.test', 'Member Small'), ('member-l@bench.test', 'Member Large'),
             ('signin@bench.test', 'Sign-in')) v(email, name);

insert into account (owner_id, display_name, colour, created_at)
select id, display_name, '#334155', created_at from app_user where email like '%@bench.test';

-- Infrastructures and their running drives (usage report, infrastructure list).
create local temporary table bench_owner (user_id bigint, account_id bigint, infrastructures int, grants int,
                                          audit_rows int);
insert into bench_owner
select u.id, a.id, 30, 60, 100 from app_user u join account a on a.owner_id = u.id
where u.email = 'owner-s@bench.test';
insert into bench_owner
select u.id, a.id, 1000, 10000, 100000 from app_user u join account a on a.owner_id = u.id
where u.email = 'owner-l@bench.test';

insert into infrastructure (account_id, label, description, status, created_by, created_at, deployed_at, version)
select o.account_id, 'node-' || lpad(x, 4, '0'), 'bench', 'DEPLOYED', o.user_id,
       dateadd('DAY', -70, @now), dateadd('DAY', -60, @now), 0
from bench_owner o join system_range(1, 1000) r on r.x <= o.infrastructures;

insert into drive (infrastructure_id, label, size_gb, status, created_at, provisioned_at, provisioned_by)
select i.id, 'disk-' || d.x, 100 * d.x, 'RUNNING', i.created_at, i.deployed_at, i.created_by
from infrastructure i join bench_owner o on o.account_id = i.account_id join system_range(1, 2) d on true;

-- Account grants: half accepted (account delegates), half revoked.
insert into access_grant (account_id, scope, grantee_id, role, status, invited_by, invited_at, responded_at,
                          revoked_at, revoked_by)
select o.account_id, 'ACCOUNT', u.id, 'ACCOUNT_READ_ONLY', case when mod(r.x, 2) = 0 then 'ACCEPTED' else 'REVOKED' end,
       o.user_id, dateadd('MINUTE', -r.x, @now), dateadd('MINUTE', -r.x + 1, @now),
       case when mod(r.x, 2) = 0 then null else @now end, case when mod(r.x, 2) = 0 then null else o.user_id end
from bench_owner o join system_range(1, 10000) r on r.x <= o.grants
join app_user u on u.email = 'filler' || r.x || '@bench.test';

-- Three delegates of the first infrastructure alone.
insert into access_grant (account_id, scope, infrastructure_id, grantee_id, role, status, invited_by, invited_at,
                          responded_at)
select o.account_id, 'INFRASTRUCTURE', i.id, u.id, 'INFRASTRUCTURE_ADMINISTRATOR', 'ACCEPTED', o.user_id,
       dateadd('MINUTE', -r.x, @now), @now
from bench_owner o join infrastructure i on i.account_id = o.account_id and i.label = 'node-0001'
join system_range(9001, 9003) r on true join app_user u on u.email = 'filler' || r.x || '@bench.test';

-- The audit log of each account.
insert into audit_event (occurred_at, user_id, user_email, action, target, outcome, client_address, account_id,
                         repeat_count)
select dateadd('SECOND', -r.x * 60, @now), o.user_id, u.email,
       case mod(r.x, 3) when 0 then 'INFRASTRUCTURE_CREATED' when 1 then 'INFRASTRUCTURE_UPDATED'
       else 'INFRASTRUCTURE_DEPLOYED' end,
       'infrastructure ' || r.x, 'SUCCESS', '127.0.0.1', o.account_id, 1
from bench_owner o join app_user u on u.id = o.user_id join system_range(1, 100000) r on r.x <= o.audit_rows;

-- Members: a Read-only grant in 10 or 1,000 accounts of other people.
create local temporary table bench_member (user_id bigint, n int);
insert into bench_member select id, 30 from app_user where email = 'member-s@bench.test';
insert into bench_member select id, 1000 from app_user where email = 'member-l@bench.test';

insert into access_grant (account_id, scope, grantee_id, role, status, invited_by, invited_at, responded_at)
select a.id, 'ACCOUNT', m.user_id, 'ACCOUNT_READ_ONLY', 'ACCEPTED', a.owner_id, dateadd('DAY', -1, @now), @now
from bench_member m join system_range(1, 1000) r on r.x <= m.n
join app_user f on f.email = 'filler' || (1000 + r.x) || '@bench.test' join account a on a.owner_id = f.id;

insert into account_visit (user_id, account_id, visited_at)
select g.grantee_id, g.account_id, dateadd('MINUTE', -mod(g.account_id, 97), @now)
from access_grant g join bench_member m on m.user_id = g.grantee_id
where mod(g.account_id, case when m.n = 1000 then 50 else 2 end) = 0;

insert into notification (user_id, message, link, created_at, read_at)
select m.user_id, 'Bench notification ' || r.x, '/settings/shared-with-me', dateadd('MINUTE', -r.x, @now),
       case when mod(r.x, 2) = 0 then @now else null end
from bench_member m join system_range(1, 1000) r on r.x <= m.n;
