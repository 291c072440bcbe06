-- The drives an invoice line covers, as they were when it was issued ("web-1 (50 GB), …"), so the
-- HTML invoice and its PDF list them per infrastructure. Invoices issued before this have none.
alter table invoice_line add column drives varchar(2000);
