-- Retention and erasure of customers' data (docs/retention.md). Index builds on a large table may take longer than the
-- service's statement timeout.
SET LOCAL statement_timeout = 0;

-- Days a session is kept after its last change: an open one (null: kept forever), and a finished one (every other
-- state; null: kept forever). New applications get 90 days for open sessions from the service; applications made
-- before this migration keep every session, as they did, until their retention is set.
alter table application add column open_session_retention_days integer;
alter table application add column finished_session_retention_days integer;
alter table application add constraint ck_application_open_session_retention
    check (open_session_retention_days between 1 and 3650);
alter table application add constraint ck_application_finished_session_retention
    check (finished_session_retention_days between 1 and 3650);

-- When a finished session's personal data was erased (its totals, dates and cart lines are kept for accounting).
alter table customer_session add column erased timestamptz;

-- The retention job finds an application's sessions by their last change.
create index ix_customer_session_updated on customer_session (application_id, updated);

-- The session a keyed write concerned, so that its kept answer goes with the session's personal data: deleted with
-- the session, and deleted by an erasure that keeps the session stripped. Null: management, or written before this.
alter table idempotency_key add column session_id bigint references customer_session (id) on delete cascade;
create index ix_idempotency_key_session on idempotency_key (session_id) where session_id is not null;

alter table api_key drop constraint ck_api_key_scopes;
alter table api_key add constraint ck_api_key_scopes check (scopes <@ array['READ_SESSIONS', 'WRITE_SESSIONS', 'CLOSE_SESSIONS',
    'CANCEL_SESSIONS', 'RETURN_CART_ITEMS', 'ISSUE_SESSION_TOKENS', 'READ_APPLICATION', 'ERASE_CUSTOMER_DATA']::varchar(40)[]);
