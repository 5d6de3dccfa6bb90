-- Jejaring: list pages in name order. Without a name filter, a national admin's member list
-- (300,000 rows) had to sort every live member to show the first 50 (~90 ms on PostgreSQL); with
-- this index the first page is read in name order directly. Partial, like the list's own condition.
CREATE INDEX members_name_order_idx ON members (full_name, id) WHERE status <> 'deleted';
CREATE INDEX communities_name_order_idx ON communities (name, id);
