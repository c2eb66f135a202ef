-- The outbox of change events (docs/events.md): every write of a session stores, in the same statement and so in the
-- same transaction, one row per session it changed. Nothing rolled back is announced; nothing committed is missed.
-- Readers (subscriptions, webhook fan-out) follow the table in transaction order: a row's tx is the writing
-- transaction's id, and a reader only takes rows whose transaction has ended (below the oldest running one,
-- pg_snapshot_xmin), so that a row committed late with a small id is never passed over.
create table session_event (
    application_id bigint        not null references application (id),
    id             bigint        generated always as identity,
    session_id     bigint        not null, -- no foreign key: the events of a deleted session outlive it
    integration_id varchar(1000) not null,
    version        bigint        not null,
    kind           varchar(20)   not null,
    occurred       timestamptz   not null,
    tx             xid8          not null default pg_current_xact_id(),
    -- application_id leads the key, as in every table of the session aggregate (docs/scaling.md).
    constraint pk_session_event primary key (application_id, id),
    constraint ck_session_event_kind check (kind in ('CREATED', 'UPDATED', 'CLOSED', 'CANCELLED', 'RETURNED', 'MERGED',
        'ERASED', 'DELETED'))
);
create index ix_session_event_tx on session_event (tx, id);
create index ix_session_event_session on session_event (application_id, session_id, version);

-- The newest position the outbox's retention has deleted up to: a reader resuming from before it may have missed
-- events, and is told to re-read instead. One row.
create table session_event_pruned (
    id       integer primary key check (id = 1),
    tx       xid8    not null,
    event_id bigint  not null
);
insert into session_event_pruned (id, tx, event_id) values (1, '0', -1);
