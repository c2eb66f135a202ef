-- pgbench script: the service's changing update of a 10-item cart (one line's quantity changes), as
-- CustomerSessionRepository.update writes it: in one transaction, the session read with its cart under a row lock, then
-- one statement that deletes the changed line, inserts it again with its cost, and raises the session's version.
-- EventsBenchmark (docs/benchmark.md, "Change events") runs it in three variants, made from this file:
--   none    without the outbox (the two marker lines removed): the update before change events;
--   outbox  with the outbox row, as the service writes it now (the first marker replaced by the session_event CTE);
--   notify  with the outbox row and a NOTIFY in the same transaction (the alternative wake-up of readers).
-- Variables (pgbench -D): app (the application id), first (its first session's id), sessions (how many, contiguous ids).
\set sid :first + random(0, :sessions - 1)
\set q random(1, 2)
BEGIN;
select s.version, i.position, i.line_id, i.quantity, ic.name, ic.price
  from customer_session s
  left join cart_item i on i.application_id = s.application_id and i.session_id = s.id
  left join cart_item_additional_cost ic on ic.application_id = i.application_id and ic.cart_item_id = i.id
  where s.application_id = :app and s.id = :sid order by i.position, ic.name for update of s;
with gone as (delete from cart_item where application_id = :app and session_id = :sid and position = any('{9}'::int4[]) returning 1),
     items as (insert into cart_item (application_id, session_id, position, line_id, sku, name, category, quantity, price,
               product_name, weight, height, width, length, attributes, returned_quantity)
         select :app, :sid, u.position, u.line_id, u.sku, u.name, null, u.quantity, u.price, null, null, null, null, null, '{}'::jsonb, 0
         from unnest('{9}'::int4[], '{10}'::int4[], '{SKU-9}'::varchar[], '{Item 9}'::varchar[], array[:q]::int4[], '{1.25}'::numeric[])
             as u(position, line_id, sku, name, quantity, price)
         where (select count(*) from gone) >= 0
         returning application_id, id, position),
     item_costs as (insert into cart_item_additional_cost (application_id, cart_item_id, name, price)
         select items.application_id, items.id, c.name, c.price from unnest('{9}'::int4[], '{wrap}'::varchar[], '{0.5}'::numeric[])
             as c(position, name, price) join items on items.position = c.position),
     s as (update customer_session set profile_id = profile_id, coupon_codes = coupon_codes, referral_code = referral_code,
               loyalty_cards = loyalty_cards, state = state, identifiers = identifiers, attributes = attributes, updated = now(),
               cart_set_by = coalesce(null, cart_set_by), next_line_id = next_line_id, version = version + 1
           where application_id = :app and id = :sid returning id, application_id, integration_id, version, updated)
     -- outbox: , s_event as (insert into session_event (application_id, session_id, integration_id, version, kind, occurred) select s.application_id, s.id, s.integration_id, s.version, 'UPDATED', s.updated from s)
select count(*) updated from s;
-- notify: select pg_notify('session_events', :app::text);
COMMIT;
