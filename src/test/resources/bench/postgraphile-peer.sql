drop schema if exists cs_peer cascade;
create schema cs_peer;

-- PostGraphile 4 as a benchmark peer, on the service's own tables. Everything lives in the scratch schema cs_peer and
-- only reads or writes rows of public; no public object is created, altered or dropped. Views, because PostGraphile's
-- computed columns must be in the schema of the table type; smart comments give the views their keys and relations.

create view cs_peer.customer_session as select * from public.customer_session;
comment on view cs_peer.customer_session is E'@primaryKey application_id,id\n@omit create,update,delete';

create view cs_peer.session_additional_cost as select * from public.session_additional_cost;
comment on view cs_peer.session_additional_cost is E'@primaryKey application_id,session_id,name\n'
    '@foreignKey (application_id,session_id) references cs_peer.customer_session (application_id,id)|@fieldName session|@foreignFieldName additionalCosts\n'
    '@simpleCollections only\n@omit create,update,delete';

create view cs_peer.cart_item as select * from public.cart_item;
comment on view cs_peer.cart_item is E'@primaryKey application_id,id\n'
    '@foreignKey (application_id,session_id) references cs_peer.customer_session (application_id,id)|@fieldName session|@foreignFieldName cartItems\n'
    '@simpleCollections only\n@omit create,update,delete';

create view cs_peer.cart_item_additional_cost as select * from public.cart_item_additional_cost;
comment on view cs_peer.cart_item_additional_cost is E'@primaryKey application_id,cart_item_id,name\n'
    '@foreignKey (application_id,cart_item_id) references cs_peer.cart_item (application_id,id)|@fieldName cartItem|@foreignFieldName additionalCosts\n'
    '@simpleCollections only\n@omit create,update,delete';

-- Computed column totals { cartItemTotal cartItemAdditionalCostTotal additionalCostTotal total } (exact numeric): all four
-- in one function, one pass over the cart lines (each line's costs summed through their primary key) and one over the
-- session costs, as a capable team would write it rather than four functions each scanning the cart.
create type cs_peer.session_totals as (cart_item_total numeric, cart_item_additional_cost_total numeric,
                                       additional_cost_total numeric, total numeric);

create function cs_peer.customer_session_totals(s cs_peer.customer_session) returns cs_peer.session_totals
language sql stable as $$
    select items.cart_item_total, items.cost_total, costs.total, items.cart_item_total + items.cost_total + costs.total
    from (select coalesce(sum(i.price * i.quantity), 0) cart_item_total, coalesce(sum(i.quantity * c.price), 0) cost_total
          from public.cart_item i
          left join lateral (select sum(c.price) price from public.cart_item_additional_cost c
                             where c.application_id = i.application_id and c.cart_item_id = i.id) c on true
          where i.application_id = s.application_id and i.session_id = s.id) items,
         (select coalesce(sum(c.price), 0) total from public.session_additional_cost c
          where c.application_id = s.application_id and c.session_id = s.id) costs
$$;

-- Query.sessionByIntegrationId: the unique index is on (application_id, md5(integration_id)).
create function cs_peer.session_by_integration_id(application_id bigint, integration_id text) returns cs_peer.customer_session
language sql stable as $$
    select s.* from cs_peer.customer_session s
    where s.application_id = $1 and md5(s.integration_id) = md5($2) and s.integration_id = $2
$$;

-- Mutation.putSession: creates the session, or writes what differs from the stored one, as the service does: the stored
-- lines and the given ones compared position by position (data and costs), only the differing positions deleted and
-- inserted, the session costs replaced only when they differ, version + 1 only when something changed; an unchanged
-- cart writes nothing. One data-modifying statement over the given cart, after the session row is locked (through the
-- unique index on (application_id, md5(integration_id)), as the service locks it). cart: [{"sku","name","quantity",
-- "price","additionalCosts":[{"name","price"}]}], costs: [{"name","price"}]; prices as strings (or numbers), compared
-- and kept as numeric(20, 6) like the tables.
create function cs_peer.put_session(application_id bigint, integration_id text, cart jsonb, costs jsonb)
returns cs_peer.customer_session
language plpgsql volatile as $$
declare
    app_id alias for $1;
    ext_id alias for $2;
    new_cart jsonb := coalesce($3, '[]');
    new_costs jsonb := coalesce($4, '[]');
    r cs_peer.customer_session;
    is_new boolean := false;
    written cs_peer.customer_session;
begin
    loop
        select s.* into r from public.customer_session s
        where s.application_id = app_id and md5(s.integration_id) = md5(ext_id) and s.integration_id = ext_id
        for update;
        exit when found;
        insert into public.customer_session (application_id, integration_id, state, first_session, created, updated, version)
        values (app_id, ext_id, 'open', true, now(), now(), 1)
        on conflict do nothing
        returning * into r;
        is_new := found;
        exit when is_new; -- otherwise created concurrently: lock that one
    end loop;

    with given as (
        select (t.ord - 1)::integer as position, t.e ->> 'sku' as sku, t.e ->> 'name' as name, (t.e ->> 'quantity')::integer as quantity,
               (t.e ->> 'price')::numeric(20, 6) as price,
               coalesce((select array_agg(c ->> 'name' order by c ->> 'name') from jsonb_array_elements(t.e -> 'additionalCosts') c),
                        '{}') as cost_names,
               coalesce((select array_agg((c ->> 'price')::numeric(20, 6) order by c ->> 'name')
                         from jsonb_array_elements(t.e -> 'additionalCosts') c), '{}') as cost_prices
        from jsonb_array_elements(new_cart) with ordinality t(e, ord)),
    stored as (
        select i.position, i.sku, i.name, i.quantity, i.price,
               coalesce(array_agg(c.name::text order by c.name) filter (where c.name is not null), '{}') as cost_names,
               coalesce(array_agg(c.price order by c.name) filter (where c.name is not null), '{}') as cost_prices
        from public.cart_item i
        left join public.cart_item_additional_cost c on c.application_id = i.application_id and c.cart_item_id = i.id
        where i.application_id = r.application_id and i.session_id = r.id
        group by i.application_id, i.id), -- the primary key
    diff as (
        select coalesce(g.position, s.position) as position from given g full join stored s on s.position = g.position
        where (g.sku, g.name, g.quantity, g.price, g.cost_names, g.cost_prices)
              is distinct from (s.sku, s.name, s.quantity, s.price, s.cost_names, s.cost_prices)),
    gone as (
        delete from public.cart_item i using diff -- their costs go with them
        where i.application_id = r.application_id and i.session_id = r.id and i.position = diff.position
        returning 1),
    items as (
        insert into public.cart_item (application_id, session_id, position, line_id, sku, name, quantity, price)
        select r.application_id, r.id, g.position, g.position + 1, g.sku, g.name, g.quantity, g.price
        from given g join diff on diff.position = g.position
        where (select count(*) from gone) >= 0
        returning id, position),
    item_costs as (
        insert into public.cart_item_additional_cost (application_id, cart_item_id, name, price)
        select r.application_id, items.id, c.name, c.price
        from items join given g on g.position = items.position cross join lateral unnest(g.cost_names, g.cost_prices) c(name, price)),
    costs_differ as (
        select (select coalesce(array_agg(c.name::text order by c.name), '{}') from public.session_additional_cost c
                where c.application_id = r.application_id and c.session_id = r.id)
               is distinct from (select coalesce(array_agg(c ->> 'name' order by c ->> 'name'), '{}') from jsonb_array_elements(new_costs) c)
            or (select coalesce(array_agg(c.price order by c.name), '{}') from public.session_additional_cost c
                where c.application_id = r.application_id and c.session_id = r.id)
               is distinct from (select coalesce(array_agg((c ->> 'price')::numeric(20, 6) order by c ->> 'name'), '{}')
                                 from jsonb_array_elements(new_costs) c) as differ),
    costs_gone as (
        delete from public.session_additional_cost c
        where c.application_id = r.application_id and c.session_id = r.id and (select differ from costs_differ)
        returning 1),
    costs_written as (
        insert into public.session_additional_cost (application_id, session_id, name, price)
        select r.application_id, r.id, c ->> 'name', (c ->> 'price')::numeric(20, 6) from jsonb_array_elements(new_costs) c
        where (select differ from costs_differ) and (select count(*) from costs_gone) >= 0)
    update public.customer_session s set version = s.version + 1, updated = now()
    where s.application_id = r.application_id and s.id = r.id and not is_new
      and (exists (select from diff) or (select differ from costs_differ))
    returning s.* into written;

    if found then
        return written; -- version + 1
    end if;
    return r; -- created, or nothing differed
end
$$;
