-- integrationId and profileId may be 1000 characters, up to 4000 bytes in UTF-8: more than one btree index entry can
-- hold (2704 bytes). Their indexes hold the MD5 of the text instead; lookups compare the hash, then the text itself.
-- Index builds on a large table may take longer than the service's statement timeout.
SET LOCAL statement_timeout = 0;

alter table customer_session drop constraint uq_customer_session_integration_id;
create unique index uq_customer_session_integration_id on customer_session (application_id, md5(integration_id));

drop index ix_customer_session_profile;
create index ix_customer_session_profile on customer_session (application_id, md5(profile_id), id);
