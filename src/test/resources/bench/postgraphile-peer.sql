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

-- Computed columns (exact numeric): cartItemTotal, cartItemAdditionalCostTotal, additionalCostTotal, total.

create function cs_peer.customer_session_cart_item_total(s cs_peer.customer_session) returns numeric
language sql stable as $$
    select coalesce(sum(i.price * i.quantity), 0) from public.cart_item i where i.application_id = s.application_id and i.session_id = s.id
$$;

create function cs_peer.customer_session_cart_item_additional_cost_total(s cs_peer.customer_session) returns numeric
language sql stable as $$
    select coalesce(sum(c.price * i.quantity), 0)
    from public.cart_item i join public.cart_item_additional_cost c on c.application_id = i.application_id and c.cart_item_id = i.id
    where i.application_id = s.application_id and i.session_id = s.id
$$;

create function cs_peer.customer_session_additional_cost_total(s cs_peer.customer_session) returns numeric
language sql stable as $$
    select coalesce(sum(c.price), 0) from public.session_additional_cost c where c.application_id = s.application_id and c.session_id = s.id
$$;

-- One pass over the items (rather than calling the three above, which would read the cart twice more).
create function cs_peer.customer_session_total(s cs_peer.customer_session) returns numeric
language sql stable as $$
    select coalesce((select sum(i.quantity * (i.price + coalesce((select sum(c.price) from public.cart_item_additional_cost c
                                                                  where c.application_id = i.application_id and c.cart_item_id = i.id), 0)))
                     from public.cart_item i where i.application_id = s.application_id and i.session_id = s.id), 0)
         + coalesce((select sum(c.price) from public.session_additional_cost c
                     where c.application_id = s.application_id and c.session_id = s.id), 0)
$$;

-- Query.sessionByIntegrationId: the unique index is on (application_id, md5(integration_id)).
create function cs_peer.session_by_integration_id(application_id bigint, integration_id text) returns cs_peer.customer_session
language sql stable as $$
    select s.* from cs_peer.customer_session s
    where s.application_id = $1 and md5(s.integration_id) = md5($2) and s.integration_id = $2
$$;

-- Mutation.putSession: creates the session, or replaces its cart and costs when they differ from the stored ones
-- (version + 1); an unchanged cart writes nothing. cart: [{"sku","name","quantity","price","additionalCosts":[{"name",
-- "price"}]}], costs: [{"name","price"}]; prices as strings (or numbers), kept as numeric(20, 6) like the tables.
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

    if not is_new then
        -- The stored cart and costs against the given ones, in one comparable form: items in position order, costs by name.
        if (select coalesce(jsonb_agg(jsonb_build_object('sku', i.sku, 'name', i.name, 'quantity', i.quantity, 'price', i.price,
                    'costs', (select coalesce(jsonb_agg(jsonb_build_object('name', c.name, 'price', c.price) order by c.name), '[]')
                              from public.cart_item_additional_cost c where c.application_id = i.application_id and c.cart_item_id = i.id))
                    order by i.position), '[]')
            from public.cart_item i where i.application_id = r.application_id and i.session_id = r.id)
           = (select coalesce(jsonb_agg(jsonb_build_object('sku', e ->> 'sku', 'name', e ->> 'name', 'quantity', (e ->> 'quantity')::integer,
                    'price', (e ->> 'price')::numeric(20, 6),
                    'costs', (select coalesce(jsonb_agg(jsonb_build_object('name', c ->> 'name', 'price', (c ->> 'price')::numeric(20, 6))
                                                        order by c ->> 'name'), '[]')
                              from jsonb_array_elements(coalesce(e -> 'additionalCosts', '[]')) c)) order by t.ord), '[]')
            from jsonb_array_elements(new_cart) with ordinality t(e, ord))
           and (select coalesce(jsonb_agg(jsonb_build_object('name', c.name, 'price', c.price) order by c.name), '[]')
                from public.session_additional_cost c where c.application_id = r.application_id and c.session_id = r.id)
           = (select coalesce(jsonb_agg(jsonb_build_object('name', c ->> 'name', 'price', (c ->> 'price')::numeric(20, 6))
                                        order by c ->> 'name'), '[]')
              from jsonb_array_elements(new_costs) c)
        then
            return r;
        end if;
        delete from public.cart_item i where i.application_id = r.application_id and i.session_id = r.id; -- costs go with them
        delete from public.session_additional_cost c where c.application_id = r.application_id and c.session_id = r.id;
        update public.customer_session s set version = s.version + 1, updated = now() where s.application_id = r.application_id
        and s.id = r.id returning * into r;
    end if;

    with items as (
        insert into public.cart_item (application_id, session_id, position, line_id, sku, name, quantity, price)
        select r.application_id, r.id, t.ord - 1, t.ord, t.e ->> 'sku', t.e ->> 'name', (t.e ->> 'quantity')::integer,
               (t.e ->> 'price')::numeric
        from jsonb_array_elements(new_cart) with ordinality t(e, ord)
        returning id, position
    )
    insert into public.cart_item_additional_cost (application_id, cart_item_id, name, price)
    select r.application_id, i.id, c ->> 'name', (c ->> 'price')::numeric
    from jsonb_array_elements(new_cart) with ordinality t(e, ord)
    join items i on i.position = t.ord - 1
    cross join lateral jsonb_array_elements(coalesce(t.e -> 'additionalCosts', '[]')) c;

    insert into public.session_additional_cost (application_id, session_id, name, price)
    select r.application_id, r.id, c ->> 'name', (c ->> 'price')::numeric from jsonb_array_elements(new_costs) c;

    return r;
end
$$;
