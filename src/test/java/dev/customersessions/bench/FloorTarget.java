package dev.customersessions.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.customersessions.bench.SessionBenchmark.Bodies;
import dev.customersessions.bench.SessionBenchmark.Call;
import dev.customersessions.bench.SessionBenchmark.Data;
import dev.customersessions.bench.SessionBenchmark.Scenario;
import dev.customersessions.bench.SessionBenchmark.Target;

/**
 * The database's own limit: for each scenario the fewest SQL statements that return the same data (or make the same
 * change), on one connection per client, every value read and the totals summed as a client would. Hand-written for
 * this one job (no parsing, no validation, no GraphQL): what no service on this database can beat.
 */
final class FloorTarget implements Target {

    /** A session with its session-level costs and its cart, in one statement (as the service reads it). */
    private static final String READ = """
            select s.id, s.integration_id, s.version, s.state, s.profile_id, s.coupon_codes, s.referral_code, s.loyalty_cards,
                   s.identifiers, s.attributes::text, s.created, s.updated, sc.names, sc.prices,
                   i.position, i.sku, i.name, i.quantity, i.price, i.attributes::text, ic.name, ic.price
            from customer_session s
            cross join lateral (select array_agg(c.name order by c.name) names, array_agg(c.price order by c.name) prices
                                from session_additional_cost c where c.application_id = s.application_id and c.session_id = s.id) sc
            left join cart_item i on i.application_id = s.application_id and i.session_id = s.id
            left join cart_item_additional_cost ic on ic.application_id = i.application_id and ic.cart_item_id = i.id
            where s.application_id = ? and md5(s.integration_id) = md5(?) and s.integration_id = ?
            order by i.position, ic.name""";
    private static final String PAGE = """
            select s.id, s.integration_id, s.version, sc.names, sc.prices from customer_session s
            cross join lateral (select array_agg(c.name order by c.name) names, array_agg(c.price order by c.name) prices
                                from session_additional_cost c where c.application_id = s.application_id and c.session_id = s.id) sc
            where s.application_id = ? order by s.id limit 51""";
    private static final String LINES = """
            select i.session_id, i.position, i.sku, i.quantity, i.price, ic.name, ic.price
            from cart_item i left join cart_item_additional_cost ic on ic.application_id = i.application_id and ic.cart_item_id = i.id
            where i.application_id = ? and i.session_id = any(?) order by i.session_id, i.position, ic.name""";
    /** Replaces the cart line at a position (the one that changed, keeping its line id) and raises the session's version. */
    private static final String CHANGE = """
            with gone as (delete from cart_item where application_id = ? and session_id = ? and position = ? returning line_id),
            item as (insert into cart_item (application_id, session_id, position, line_id, sku, name, quantity, price, attributes,
                                            returned_quantity)
                     select ?, ?, ?, gone.line_id, ?, ?, ?, 1.25, '{}', 0 from gone returning application_id, id),
            cost as (insert into cart_item_additional_cost (application_id, cart_item_id, name, price)
                     select application_id, id, 'wrap', 0.5 from item)
            update customer_session set version = version + 1, updated = now() where application_id = ? and id = ?""";
    private static final String CREATE = """
            with s as (insert into customer_session (application_id, integration_id, coupon_codes, loyalty_cards, state,
                           identifiers, attributes, first_session, created, updated, version)
                       values (?, ?, '{}', '{}', 'open', '{}', '{}', true, now(), now(), 1)
                       returning application_id, id),
            items as (insert into cart_item (application_id, session_id, position, line_id, sku, name, quantity, price, attributes,
                                             returned_quantity)
                      select s.application_id, s.id, u.position, u.position + 1, u.sku, u.name, u.quantity, 1.25, '{}', 0
                      from s, unnest(?::int4[], ?::varchar[], ?::varchar[], ?::int4[]) as u(position, sku, name, quantity)
                      returning application_id, id),
            costs as (insert into cart_item_additional_cost (application_id, cart_item_id, name, price)
                      select items.application_id, items.id, 'wrap', 0.5 from items),
            shipping as (insert into session_additional_cost (application_id, session_id, name, price)
                         select s.application_id, s.id, 'shipping', 4.95 from s)
            select id from s""";

    private final String jdbcUrl;
    private final Data data;
    private final List<Connection> connections = new ArrayList<>();
    private final AtomicLong created = new AtomicLong();

    FloorTarget(String jdbcUrl, Data data) {
        this.jdbcUrl = jdbcUrl;
        this.data = data;
    }

    @Override
    public Call call(Scenario scenario, int t) throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl);
        connections.add(c);
        long app = data.applicationId();
        return switch (scenario) {
            case READ -> {
                PreparedStatement read = c.prepareStatement(READ);
                BigDecimal expected = Bodies.total(100, 2);
                yield () -> check(expected, read(read, app, "read-100").total);
            }
            case PAGE -> {
                PreparedStatement page = c.prepareStatement(PAGE);
                PreparedStatement lines = c.prepareStatement(LINES);
                yield () -> page(c, page, lines, data.pageApplicationId());
            }
            case REPEAT -> update(c, app, "floor-repeat-" + t, 10, false);
            case CHANGE -> update(c, app, "floor-change-" + t, 10, true);
            case CREATE -> {
                c.setAutoCommit(false);
                PreparedStatement lock = c.prepareStatement(READ + " for update of s");
                PreparedStatement insert = c.prepareStatement(CREATE);
                Object[] positions = new Object[10];
                Object[] skus = new Object[10];
                Object[] names = new Object[10];
                Object[] quantities = new Object[10];
                for (int i = 0; i < 10; i++) {
                    positions[i] = i;
                    skus[i] = "SKU-" + i;
                    names[i] = "Item " + i;
                    quantities[i] = i == 9 ? 1 : 2;
                }
                yield () -> {
                    String id = "floor-new-" + created.incrementAndGet();
                    if (read(lock, app, id) != null) {
                        throw new IllegalStateException("exists: " + id);
                    }
                    insert.setLong(1, app);
                    insert.setString(2, id);
                    insert.setArray(3, c.createArrayOf("int4", positions));
                    insert.setArray(4, c.createArrayOf("varchar", skus));
                    insert.setArray(5, c.createArrayOf("varchar", names));
                    insert.setArray(6, c.createArrayOf("int4", quantities));
                    try (ResultSet rows = insert.executeQuery()) {
                        rows.next();
                    }
                    c.commit();
                };
            }
            case LARGE -> update(c, app, "floor-large-" + t, 1000, true);
        };
    }

    @Override
    public void closeClients() {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
        connections.clear();
    }

    /** Locks and reads the session with its cart; when {@code changing}, replaces the last line (its quantity 1 ↔ 2). */
    private static Call update(Connection c, long app, String id, int items, boolean changing) throws SQLException {
        c.setAutoCommit(false);
        PreparedStatement lock = c.prepareStatement(READ + " for update of s");
        PreparedStatement change = c.prepareStatement(CHANGE);
        return () -> {
            Session stored = read(lock, app, id);
            if (changing) {
                int last = items - 1;
                int quantity = stored.lastQuantity == 1 ? 2 : 1;
                change.setLong(1, app);
                change.setLong(2, stored.id);
                change.setInt(3, last);
                change.setLong(4, app);
                change.setLong(5, stored.id);
                change.setInt(6, last);
                change.setString(7, "SKU-" + last);
                change.setString(8, "Item " + last);
                change.setInt(9, quantity);
                change.setLong(10, app);
                change.setLong(11, stored.id);
                if (change.executeUpdate() != 1) {
                    throw new IllegalStateException("not updated: " + id);
                }
            }
            c.commit();
        };
    }

    private record Session(long id, BigDecimal total, int lastQuantity) {
    }

    /** Reads every column of the session and its cart; null when there is no such session. */
    private static Session read(PreparedStatement read, long app, String id) throws SQLException {
        read.setLong(1, app);
        read.setString(2, id);
        read.setString(3, id);
        try (ResultSet rows = read.executeQuery()) {
            if (!rows.next()) {
                return null;
            }
            long sessionId = rows.getLong(1);
            BigDecimal total = BigDecimal.ZERO;
            for (int column = 2; column <= 12; column++) {
                rows.getObject(column);
            }
            BigDecimal[] sessionCosts = (BigDecimal[]) rows.getArray(14).getArray();
            rows.getArray(13).getArray();
            for (BigDecimal cost : sessionCosts) {
                total = total.add(cost);
            }
            int quantity = 0;
            do {
                rows.getInt(15);
                rows.getString(16);
                rows.getString(17);
                quantity = rows.getInt(18);
                BigDecimal units = BigDecimal.valueOf(quantity);
                total = total.add(rows.getBigDecimal(19).multiply(units));
                rows.getString(20);
                rows.getString(21);
                BigDecimal cost = rows.getBigDecimal(22);
                if (cost != null) {
                    total = total.add(cost.multiply(units));
                }
            } while (rows.next());
            return new Session(sessionId, total, quantity);
        }
    }

    private static void page(Connection c, PreparedStatement page, PreparedStatement lines, long pageApplication) throws SQLException {
        page.setLong(1, pageApplication);
        List<Long> ids = new ArrayList<>();
        try (ResultSet rows = page.executeQuery()) {
            while (rows.next() && ids.size() < 50) {
                ids.add(rows.getLong(1));
                rows.getString(2);
                rows.getLong(3);
                rows.getArray(4).getArray();
                rows.getArray(5).getArray();
            }
        }
        lines.setLong(1, pageApplication);
        lines.setArray(2, c.createArrayOf("bigint", ids.toArray()));
        BigDecimal total = BigDecimal.ZERO;
        int count = 0;
        try (ResultSet rows = lines.executeQuery()) {
            while (rows.next()) {
                rows.getLong(1);
                rows.getInt(2);
                rows.getString(3);
                BigDecimal units = BigDecimal.valueOf(rows.getInt(4));
                total = total.add(rows.getBigDecimal(5).multiply(units));
                rows.getString(6);
                BigDecimal cost = rows.getBigDecimal(7);
                if (cost != null) {
                    total = total.add(cost.multiply(units));
                }
                count++;
            }
        }
        if (ids.size() != 50 || count != 500) {
            throw new IllegalStateException("page of " + ids.size() + " sessions, " + count + " lines");
        }
    }

    private static void check(BigDecimal expected, BigDecimal actual) {
        if (expected.compareTo(actual) != 0) {
            throw new IllegalStateException("total " + actual + ", expected " + expected);
        }
    }
}
