package dev.customersessions.session;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

/**
 * The writes of session updates in plain SQL, in the caller's transaction (the data source hands out the
 * transaction's connection): a changed session is one statement whatever the size of its cart, a new one too. Only
 * what differs is written, so that a cart that grows by one line writes one cart item row.
 */
@ApplicationScoped
class SessionStore {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CustomerSessionRepository sessions;

    /** The session with its cart, locked against concurrent writers until the transaction ends: one statement. */
    Optional<SessionSnapshot> lockWithCart(long applicationId, String integrationId, String tokenHash) {
        return sessions.findWithCart(applicationId, integrationId, tokenHash, Integer.MAX_VALUE - 1, true);
    }

    /**
     * Stores a new session with its cart, unless a concurrent writer has just stored one under the same integration id
     * (then empty, and nothing is written): one statement.
     */
    Optional<Long> insert(CustomerSession session, SessionContent content) {
        return run(INSERT, statement -> {
            Connection connection = statement.getConnection();
            int at = 1;
            statement.setLong(at++, session.applicationId);
            statement.setString(at++, session.integrationId);
            at = bindContentColumns(connection, statement, at, content, session.state);
            statement.setBoolean(at++, session.firstSession);
            statement.setObject(at++, session.created);
            statement.setObject(at++, session.updated);
            statement.setString(at++, session.tokenHash);
            statement.setString(at++, session.cartSetBy);
            at = bindItems(connection, statement, at, content.cartItems());
            bindCosts(connection, statement, at, content.additionalCosts());
        }, rows -> rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty());
    }

    /** Writes the changes from {@code before} to {@code after} and the state, raising the version: one statement. */
    void update(long sessionId, SessionContent before, SessionContent after, SessionState state, OffsetDateTime updated, String cartSetBy) {
        List<Integer> gone = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<CartItemData> written = new ArrayList<>();
        for (int position = 0; position < Math.max(before.cartItems().size(), after.cartItems().size()); position++) {
            boolean stored = position < before.cartItems().size();
            boolean sent = position < after.cartItems().size();
            if (stored && sent && before.cartItems().get(position).equals(after.cartItems().get(position))) {
                continue;
            }
            if (stored) {
                gone.add(position);
            }
            if (sent) {
                positions.add(position);
                written.add(after.cartItems().get(position));
            }
        }
        boolean costsChanged = !before.additionalCosts().equals(after.additionalCosts());
        StringBuilder sql = new StringBuilder("with ");
        if (!gone.isEmpty() || !written.isEmpty()) {
            sql.append("gone as (delete from cart_item where session_id = ? and position = any(?) returning 1), ")
                    .append(CHANGED_ITEMS).append(", ");
        }
        if (costsChanged) {
            sql.append("costs_gone as (delete from session_additional_cost where session_id = ? returning 1), ")
                    .append("costs as (insert into session_additional_cost (session_id, name, price) select ?, c.name, c.price ")
                    .append("from unnest(?::varchar[], ?::numeric[]) as c(name, price) where (select count(*) from costs_gone) >= 0), ");
        }
        sql.append("s as (update customer_session set profile_id = ?, coupon_codes = ?, referral_code = ?, loyalty_cards = ?, state = ?, ")
                .append("identifiers = ?, attributes = ?::jsonb, updated = ?, cart_set_by = coalesce(?, cart_set_by), version = version + 1 ")
                .append("where id = ? returning 1) select count(*) from s");
        run(sql.toString(), statement -> {
            Connection connection = statement.getConnection();
            int at = 1;
            if (!gone.isEmpty() || !written.isEmpty()) {
                statement.setLong(at++, sessionId);
                statement.setArray(at++, connection.createArrayOf("int4", gone.toArray()));
                statement.setLong(at++, sessionId);
                at = bindItems(connection, statement, at, written, positions);
            }
            if (costsChanged) {
                statement.setLong(at++, sessionId);
                statement.setLong(at++, sessionId);
                at = bindCosts(connection, statement, at, after.additionalCosts());
            }
            at = bindContentColumns(connection, statement, at, after, state);
            statement.setObject(at++, updated);
            statement.setString(at++, cartSetBy);
            statement.setLong(at, sessionId);
        }, rows -> {
            rows.next();
            if (rows.getLong(1) != 1) {
                throw new IllegalStateException("session " + sessionId + " was not updated");
            }
            return null;
        });
    }

    /**
     * The cart items and their costs, inserted for the session id expression {@code %1$s} (a parameter, or a column of
     * {@code %2$s}) when {@code %3$s} holds; parameters as {@link #bindItems}.
     */
    private static final String ITEMS = """
            items as (insert into cart_item (session_id, position, sku, name, category, quantity, price, product_name, weight,
                      height, width, length, attributes, returned_quantity)
                select %1$s, u.position, u.sku, u.name, u.category, u.quantity, u.price, u.product_name,
                       u.weight, u.height, u.width, u.length, u.attributes::jsonb, 0
                %2$s unnest(?::int4[], ?::varchar[], ?::varchar[], ?::varchar[], ?::int4[], ?::numeric[], ?::varchar[], ?::numeric[],
                       ?::numeric[], ?::numeric[], ?::numeric[], ?::text[])
                    as u(position, sku, name, category, quantity, price, product_name, weight, height, width, length, attributes)
                where %3$s
                returning id, position),
            item_costs as (insert into cart_item_additional_cost (cart_item_id, name, price)
                select items.id, c.name, c.price from unnest(?::int4[], ?::varchar[], ?::numeric[]) as c(position, name, price)
                join items on items.position = c.position)""".replace("\n", " ");

    /** A new session with its cart and costs, unless its integration id is taken (then no row). */
    private static final String INSERT = "with s as (insert into customer_session (application_id, integration_id, profile_id, "
            + "coupon_codes, referral_code, loyalty_cards, state, identifiers, attributes, first_session, created, updated, version, "
            + "token_hash, cart_set_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, 1, ?, ?) "
            + "on conflict (application_id, md5(integration_id)) do nothing returning id), "
            + ITEMS.formatted("s.id", "from s,", "true") + ", "
            + "costs as (insert into session_additional_cost (session_id, name, price) "
            + "select s.id, c.name, c.price from s, unnest(?::varchar[], ?::numeric[]) as c(name, price)) "
            + "select id from s";

    /** The changed cart lines of a session, inserted after its changed and removed ones are deleted ({@code gone}). */
    private static final String CHANGED_ITEMS = ITEMS.formatted("?", "from", "(select count(*) from gone) >= 0");

    /** Binds the items of a new cart, at positions 0, 1, ... */
    private int bindItems(Connection connection, PreparedStatement statement, int at, List<CartItemData> items)
            throws SQLException {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            positions.add(i);
        }
        return bindItems(connection, statement, at, items, positions);
    }

    /** Binds the items at the given positions: 12 arrays of item columns, then 3 of their costs (position, name, price). */
    private int bindItems(Connection connection, PreparedStatement statement, int at, List<CartItemData> items, List<Integer> positions)
            throws SQLException {
        int n = items.size();
        Object[][] columns = new Object[12][n];
        List<Object> costPositions = new ArrayList<>();
        List<Object> costNames = new ArrayList<>();
        List<Object> costPrices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CartItemData item = items.get(i);
            columns[0][i] = positions.get(i);
            columns[1][i] = item.sku();
            columns[2][i] = item.name();
            columns[3][i] = item.category();
            columns[4][i] = item.quantity();
            columns[5][i] = item.price();
            columns[6][i] = item.productName();
            columns[7][i] = item.weight();
            columns[8][i] = item.height();
            columns[9][i] = item.width();
            columns[10][i] = item.length();
            columns[11][i] = item.attributes().toString();
            for (AdditionalCostData cost : item.additionalCosts()) {
                costPositions.add(positions.get(i));
                costNames.add(cost.name());
                costPrices.add(cost.price());
            }
        }
        String[] types = {"int4", "varchar", "varchar", "varchar", "int4", "numeric", "varchar", "numeric", "numeric", "numeric", "numeric", "text"};
        for (int c = 0; c < columns.length; c++) {
            statement.setArray(at++, connection.createArrayOf(types[c], columns[c]));
        }
        statement.setArray(at++, connection.createArrayOf("int4", costPositions.toArray()));
        statement.setArray(at++, connection.createArrayOf("varchar", costNames.toArray()));
        statement.setArray(at++, connection.createArrayOf("numeric", costPrices.toArray()));
        return at;
    }

    private static int bindCosts(Connection connection, PreparedStatement statement, int at, List<AdditionalCostData> costs) throws SQLException {
        statement.setArray(at++, connection.createArrayOf("varchar", costs.stream().map(AdditionalCostData::name).toArray()));
        statement.setArray(at++, connection.createArrayOf("numeric", costs.stream().map(AdditionalCostData::price).toArray(BigDecimal[]::new)));
        return at;
    }

    /** profile_id, coupon_codes, referral_code, loyalty_cards, state, identifiers, attributes: in this order. */
    private static int bindContentColumns(Connection connection, PreparedStatement statement, int at, SessionContent content, SessionState state)
            throws SQLException {
        setNullable(statement, at++, content.profileId());
        statement.setArray(at++, connection.createArrayOf("varchar", content.couponCodes().toArray()));
        setNullable(statement, at++, content.referralCode());
        statement.setArray(at++, connection.createArrayOf("varchar", content.loyaltyCards().toArray()));
        statement.setString(at++, state.name());
        statement.setArray(at++, connection.createArrayOf("varchar", content.identifiers().toArray()));
        statement.setString(at++, content.attributes().toString());
        return at;
    }

    private static void setNullable(PreparedStatement statement, int at, String value) throws SQLException {
        if (value == null) {
            statement.setNull(at, Types.VARCHAR);
        } else {
            statement.setString(at, value);
        }
    }

    private <T> T run(String sql, Sql.Binder binder, Sql.RowsReader<T> reader) {
        return Sql.query(dataSource, sql, binder, reader);
    }
}
