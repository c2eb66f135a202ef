-- Browser-safe access: three kinds of API keys, and session tokens that bind a session to the page that started it.
SET LOCAL statement_timeout = 0;

-- SECRET (the shop's servers; every key made before this migration), PUBLISHABLE (made to sit in a web page: only the
-- sessions whose token it presents), RESTRICTED (a secret key limited to the scopes listed).
alter table api_key add column kind varchar(20) not null default 'SECRET';
alter table api_key add constraint ck_api_key_kind check (kind in ('SECRET', 'PUBLISHABLE', 'RESTRICTED'));
alter table api_key add column scopes varchar(40)[] not null default '{}';
-- A publishable key's allowed browser origins (scheme://host[:port]); empty: any origin.
alter table api_key add column allowed_origins varchar(300)[] not null default '{}';
-- Recorded to the minute, not on every request.
alter table api_key add column last_used timestamptz;
alter table api_key add column name varchar(200);

-- SHA-256 of the session's token, hex; the plain token is shown once, to the page that started the session.
alter table customer_session add column token_hash varchar(64);
-- The kind of key whose request last set the cart (items or costs): PUBLISHABLE means prices are the shopper's claim.
alter table customer_session add column cart_set_by varchar(20);

alter table api_key add constraint ck_api_key_scopes check (scopes <@ array['READ_SESSIONS', 'WRITE_SESSIONS', 'CLOSE_SESSIONS',
    'CANCEL_SESSIONS', 'RETURN_CART_ITEMS', 'ISSUE_SESSION_TOKENS', 'READ_APPLICATION']::varchar(40)[]);
alter table customer_session add constraint ck_customer_session_cart_set_by
    check (cart_set_by is null or cart_set_by in ('SECRET', 'PUBLISHABLE', 'RESTRICTED'));
