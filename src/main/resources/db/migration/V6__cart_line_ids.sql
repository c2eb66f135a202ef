SET LOCAL statement_timeout = 0;

-- A stable id for every cart line, unique within its session and never reused there: pages address a line by it
-- (addCartItems, updateCartItems, removeCartItems) while positions shift. The session counts the ids it has given.
alter table cart_item add column line_id integer;
update cart_item set line_id = position + 1;
alter table cart_item alter column line_id set not null;
alter table cart_item add constraint uq_cart_item_line_id unique (session_id, line_id) deferrable initially deferred;

alter table customer_session add column next_line_id integer not null default 1;
update customer_session s set next_line_id = i.next
from (select session_id, max(line_id) + 1 as next from cart_item group by session_id) i
where i.session_id = s.id;
