-- The department or cost centre an infrastructure is charged back to, as the owner names it: one
-- line of at most 100 characters, NULL when none. The usage report and its CSV group by it.
alter table infrastructure add column department varchar(100);
