-- Merging at login: a guest session merged into the customer's (or the customer's into the guest's) ends in the final
-- state merged and records the session it was merged into. The reference is cleared when that session is deleted,
-- so that deleting sessions (retention, erasure) never depends on the order in which merged sessions go.
SET LOCAL statement_timeout = 0;

alter table customer_session drop constraint ck_customer_session_state;
alter table customer_session add constraint ck_customer_session_state
    check (state in ('open', 'closed', 'partially_returned', 'cancelled', 'merged'));

alter table customer_session add column merged_into bigint references customer_session (id) on delete set null;
-- Only merged sessions have one; the index serves the foreign key when a session is deleted.
create index ix_customer_session_merged_into on customer_session (merged_into) where merged_into is not null;
-- A merge looks up the customer's open sessions.
create index ix_customer_session_open_profile on customer_session (application_id, md5(profile_id)) where state = 'open';
