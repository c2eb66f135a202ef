-- Keys ready for sharding by application (docs/scaling.md): every table of the session aggregate carries application_id,
-- and it leads the table's primary key, its unique constraints and its foreign keys, as in session_event (V9). A
-- distributed database (Citus) needs the distribution column in every unique constraint and in every foreign key
-- between distributed tables; on one PostgreSQL the longer keys change nothing a statement can see. Ids stay globally
-- unique: they still come from the tables' identity columns.
--
-- Rewrites the child tables (a new column, filled from each row's session) and rebuilds every key of the aggregate:
-- see docs/images.md for how long that takes on a large database. Their keys are dropped first, so that filling the
-- column maintains no index, and built once at the end.
SET LOCAL statement_timeout = 0;

-- Every foreign key into the aggregate, then the keys they rely on.
alter table session_additional_cost drop constraint session_additional_cost_session_id_fkey;
alter table cart_item drop constraint cart_item_session_id_fkey;
alter table cart_item_additional_cost drop constraint cart_item_additional_cost_cart_item_id_fkey;
alter table cart_item_return drop constraint cart_item_return_session_id_fkey;
alter table cart_item_return_line drop constraint cart_item_return_line_return_id_fkey;
alter table customer_session drop constraint customer_session_merged_into_fkey;
-- The answers kept under Idempotency-Keys lose their foreign key for good. The table is keyed by the caller's scope (an
-- application, one restricted key of it, or management, which has no application), not by a session, so it cannot be
-- distributed by application_id; and Citus allows no foreign key from a table that is not co-located with a distributed
-- one to it. What the key's on delete cascade did, the statements that delete sessions (retention, erasure) now do
-- themselves, in the same statement (CustomerSessionRepository): they delete the answers of the sessions they delete.
alter table idempotency_key drop constraint idempotency_key_session_id_fkey;

alter table session_additional_cost drop constraint pk_session_additional_cost;
alter table cart_item drop constraint cart_item_pkey;
alter table cart_item drop constraint uq_cart_item_position;
alter table cart_item drop constraint uq_cart_item_line_id;
alter table cart_item_additional_cost drop constraint pk_cart_item_additional_cost;
alter table cart_item_return drop constraint cart_item_return_pkey;
drop index ix_cart_item_return_session;
alter table cart_item_return_line drop constraint pk_cart_item_return_line;
alter table customer_session drop constraint customer_session_pkey;
-- Served by the new primary key (application_id, id): the listing of an application's sessions in id order.
drop index ix_customer_session_application;
-- Replaced by one that leads with application_id, for the merged_into key below.
drop index ix_customer_session_merged_into;

-- Each child row gets its session's application (its item's, its return's).
alter table session_additional_cost add column application_id bigint;
update session_additional_cost c set application_id = s.application_id from customer_session s where s.id = c.session_id;
alter table session_additional_cost alter column application_id set not null;

alter table cart_item add column application_id bigint;
update cart_item i set application_id = s.application_id from customer_session s where s.id = i.session_id;
alter table cart_item alter column application_id set not null;

alter table cart_item_additional_cost add column application_id bigint;
update cart_item_additional_cost c set application_id = i.application_id from cart_item i where i.id = c.cart_item_id;
alter table cart_item_additional_cost alter column application_id set not null;

alter table cart_item_return add column application_id bigint;
update cart_item_return r set application_id = s.application_id from customer_session s where s.id = r.session_id;
alter table cart_item_return alter column application_id set not null;

alter table cart_item_return_line add column application_id bigint;
update cart_item_return_line l set application_id = r.application_id from cart_item_return r where r.id = l.return_id;
alter table cart_item_return_line alter column application_id set not null;

-- The keys again, each led by application_id. A session's cart is read, and deleted with it, through the position key.
alter table customer_session add constraint pk_customer_session primary key (application_id, id);
alter table session_additional_cost add constraint pk_session_additional_cost primary key (application_id, session_id, name);
alter table cart_item add constraint pk_cart_item primary key (application_id, id);
alter table cart_item add constraint uq_cart_item_position unique (application_id, session_id, position) deferrable initially deferred;
alter table cart_item add constraint uq_cart_item_line_id unique (application_id, session_id, line_id) deferrable initially deferred;
alter table cart_item_additional_cost add constraint pk_cart_item_additional_cost primary key (application_id, cart_item_id, name);
alter table cart_item_return add constraint pk_cart_item_return primary key (application_id, id);
create index ix_cart_item_return_session on cart_item_return (application_id, session_id, id);
alter table cart_item_return_line add constraint pk_cart_item_return_line primary key (application_id, return_id, position);

alter table session_additional_cost add constraint fk_session_additional_cost_session foreign key (application_id, session_id)
    references customer_session (application_id, id) on delete cascade;
alter table cart_item add constraint fk_cart_item_session foreign key (application_id, session_id)
    references customer_session (application_id, id) on delete cascade;
alter table cart_item_additional_cost add constraint fk_cart_item_additional_cost_item foreign key (application_id, cart_item_id)
    references cart_item (application_id, id) on delete cascade;
alter table cart_item_return add constraint fk_cart_item_return_session foreign key (application_id, session_id)
    references customer_session (application_id, id) on delete cascade;
alter table cart_item_return_line add constraint fk_cart_item_return_line_return foreign key (application_id, return_id)
    references cart_item_return (application_id, id) on delete cascade;
-- A session is merged into one of its own application's. Deleting that one clears merged_into only, not application_id.
alter table customer_session add constraint fk_customer_session_merged_into foreign key (application_id, merged_into)
    references customer_session (application_id, id) on delete set null (merged_into);
create index ix_customer_session_merged_into on customer_session (application_id, merged_into) where merged_into is not null;
