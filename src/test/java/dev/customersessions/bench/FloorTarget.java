package dev.customersessions.bench;

import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import dev.customersessions.bench.SessionBenchmark.Bodies;
import dev.customersessions.bench.SessionBenchmark.Call;
import dev.customersessions.bench.SessionBenchmark.Data;
import dev.customersessions.bench.SessionBenchmark.Scenario;
import dev.customersessions.bench.SessionBenchmark.Target;
import dev.customersessions.session.CustomerSessionRepository;

/**
 * The database's own limit: for each scenario the fewest SQL statements that do the service's work, on one connection
 * per client, with no HTTP, JSON, GraphQL or validation. The reads are the service's own statements (taken from
 * {@link CustomerSessionRepository}, so that the floor reads every column the service reads, whatever it reads
 * tomorrow), every value fetched and the totals summed as a client would. An update does what the service's does: the
 * session and its cart read under the row lock (the service's statement), the stored cart compared with the given one
 * position by position, and, when something differs, one statement that deletes and inserts only the differing lines,
 * raises the version and writes the change's outbox row, as the service writes it. A new session: the same locked
 * read (finding nothing), then one insert of the session, its cart, its costs and its outbox row.
 */
final class FloorTarget implements Target {

    private static final String READ_ONE = repositoryStatement("READ_ONE");
    private static final String READ_ONE_LOCKED = repositoryStatement("READ_ONE_LOCKED");
    /** The service's page: its sessions with their session costs ({@code CustomerSessionRepository.page}), then their lines. */
    private static final String PAGE = "select " + repositoryStatement("SESSION_COLUMNS") + " from customer_session s "
            + repositoryStatement("SESSION_COSTS") + " where s.application_id = ? order by s.id limit ?";
    private static final String LINES = repositoryStatement("CART_LINES");
    private static final int MAX_ROWS = 100_000;
    private static final String EVENT = "insert into session_event (application_id, session_id, integration_id, version, kind, occurred) "
            + "select s.application_id, s.id, s.integration_id, s.version, '%s', s.updated from s";
    /** The differing lines replaced (their costs go with them), the version raised, the outbox row written. */
    private static final String CHANGE = """
            with gone as (delete from cart_item where application_id = ? and session_id = ? and position = any(?) returning 1),
            items as (insert into cart_item (application_id, session_id, position, line_id, sku, name, quantity, price, attributes,
                                             returned_quantity)
                      select ?, ?, u.position, u.line_id, u.sku, u.name, u.quantity, u.price, '{}', 0
                      from unnest(?::int4[], ?::int4[], ?::varchar[], ?::varchar[], ?::int4[], ?::numeric[])
                           as u(position, line_id, sku, name, quantity, price)
                      where (select count(*) from gone) >= 0
                      returning application_id, id, position),
            item_costs as (insert into cart_item_additional_cost (application_id, cart_item_id, name, price)
                           select items.application_id, items.id, c.name, c.price
                           from unnest(?::int4[], ?::varchar[], ?::numeric[]) as c(position, name, price)
                           join items on items.position = c.position),
            s as (update customer_session set version = version + 1, updated = now() where application_id = ? and id = ?
                  returning id, application_id, integration_id, version, updated),
            s_event as (%s)
            select count(*) from s""".formatted(EVENT.formatted("UPDATED"));
    private static final String CREATE = """
            with s as (insert into customer_session (application_id, integration_id, coupon_codes, loyalty_cards, state,
                           identifiers, attributes, first_session, created, updated, version, next_line_id)
                       values (?, ?, '{}', '{}', 'open', '{}', '{}', true, now(), now(), 1, ?)
                       on conflict (application_id, md5(integration_id)) do nothing
                       returning id, application_id, integration_id, version, updated),
            s_event as (%s),
            items as (insert into cart_item (application_id, session_id, position, line_id, sku, name, quantity, price, attributes,
                                             returned_quantity)
                      select s.application_id, s.id, u.position, u.position + 1, u.sku, u.name, u.quantity, u.price, '{}', 0
                      from s, unnest(?::int4[], ?::varchar[], ?::varchar[], ?::int4[], ?::numeric[]) as u(position, sku, name, quantity, price)
                      returning application_id, id, position),
            costs as (insert into cart_item_additional_cost (application_id, cart_item_id, name, price)
                      select items.application_id, items.id, c.name, c.price
                      from unnest(?::int4[], ?::varchar[], ?::numeric[]) as c(position, name, price) join items on items.position = c.position),
            shipping as (insert into session_additional_cost (application_id, session_id, name, price)
                         select s.application_id, s.id, c.name, c.price from s, unnest(?::varchar[], ?::numeric[]) as c(name, price))
            select id from s""".formatted(EVENT.formatted("CREATED"));

    private final String jdbcUrl;
    private final Data data;
    private final List<Connection> connections = new ArrayList<>();
    private final AtomicLong created = new AtomicLong();

    FloorTarget(String jdbcUrl, Data data) {
        this.jdbcUrl = jdbcUrl;
        this.data = data;
    }

    /** A statement of the service's, as it sends it (a private constant of the repository). */
    private static String repositoryStatement(String name) {
        try {
            Field field = CustomerSessionRepository.class.getDeclaredField(name);
            field.setAccessible(true);
            return (String) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the floor reads with the service's statement " + name + " of CustomerSessionRepository: " + e
                    + "; follow its change here", e);
        }
    }

    @Override
    public Call call(Scenario scenario, int t) throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl);
        connections.add(c);
        long app = data.applicationId();
        return switch (scenario) {
            case READ -> {
                PreparedStatement read = c.prepareStatement(READ_ONE);
                Map<String, BigDecimal> expected = Bodies.totals(100, 2);
                yield () -> check(expected.get("total"), read(read, app, "read-100").total);
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
                PreparedStatement lock = c.prepareStatement(READ_ONE_LOCKED);
                PreparedStatement insert = c.prepareStatement(CREATE);
                List<Line> cart = Line.of(Bodies.cart(10, 1));
                yield () -> {
                    String id = "floor-new-" + created.incrementAndGet();
                    if (read(lock, app, id) != null) {
                        throw new IllegalStateException("exists: " + id);
                    }
                    int at = 1;
                    insert.setLong(at++, app);
                    insert.setString(at++, id);
                    insert.setInt(at++, cart.size() + 1);
                    at = bindLines(c, insert, at, cart, false);
                    insert.setArray(at++, c.createArrayOf("varchar", new Object[] {"shipping"}));
                    insert.setArray(at, c.createArrayOf("numeric", new Object[] {new BigDecimal("4.95")}));
                    try (ResultSet rows = insert.executeQuery()) {
                        if (!rows.next()) {
                            throw new IllegalStateException("not created: " + id);
                        }
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

    /**
     * Updates of one cart, as the service makes them: locked read, comparison, the differing lines written. The given
     * cart: the same each time, or (changing) its last line's quantity the other of 1 and 2 from the stored one.
     */
    private static Call update(Connection c, long app, String id, int items, boolean changing) throws SQLException {
        c.setAutoCommit(false);
        PreparedStatement lock = c.prepareStatement(READ_ONE_LOCKED);
        PreparedStatement change = c.prepareStatement(CHANGE);
        List<Line> one = Line.of(Bodies.cart(items, 1));
        List<Line> two = Line.of(Bodies.cart(items, 2));
        return () -> {
            Session stored = read(lock, app, id);
            if (stored.version != stored.readVersion) { // read before another writer's commit: again, under the lock (as the service)
                stored = read(lock, app, id);
            }
            List<Line> given = changing && stored.cart.get(items - 1).quantity == 1 ? two : one;
            List<Integer> gone = new ArrayList<>();
            List<Line> written = new ArrayList<>();
            for (int position = 0; position < Math.max(stored.cart.size(), given.size()); position++) {
                Line before = position < stored.cart.size() ? stored.cart.get(position) : null;
                Line after = position < given.size() ? given.get(position) : null;
                if (before != null && before.sameAs(after)) {
                    continue;
                }
                if (before != null) {
                    gone.add(position);
                }
                if (after != null) {
                    written.add(after.at(position, before == null ? position + 1 : before.lineId));
                }
            }
            if (!stored.costs.equals(List.of("shipping 4.950000"))) {
                throw new IllegalStateException("session costs " + stored.costs + ": the scenarios never change them");
            }
            if (!gone.isEmpty() || !written.isEmpty()) {
                int at = 1;
                change.setLong(at++, app);
                change.setLong(at++, stored.id);
                change.setArray(at++, c.createArrayOf("int4", gone.toArray()));
                change.setLong(at++, app);
                change.setLong(at++, stored.id);
                at = bindLines(c, change, at, written, true);
                change.setLong(at++, app);
                change.setLong(at, stored.id);
                try (ResultSet rows = change.executeQuery()) {
                    if (!rows.next() || rows.getLong(1) != 1) {
                        throw new IllegalStateException("not updated: " + id);
                    }
                }
            } else if (changing) {
                throw new IllegalStateException("a changing update found nothing to change: " + id);
            }
            c.commit();
        };
    }

    /** The lines' columns as arrays (with their line ids when {@code lineIds}), then their costs'. */
    private static int bindLines(Connection c, PreparedStatement statement, int at, List<Line> lines, boolean lineIds) throws SQLException {
        statement.setArray(at++, c.createArrayOf("int4", lines.stream().map(Line::position).toArray()));
        if (lineIds) {
            statement.setArray(at++, c.createArrayOf("int4", lines.stream().map(Line::lineId).toArray()));
        }
        statement.setArray(at++, c.createArrayOf("varchar", lines.stream().map(Line::sku).toArray()));
        statement.setArray(at++, c.createArrayOf("varchar", lines.stream().map(Line::name).toArray()));
        statement.setArray(at++, c.createArrayOf("int4", lines.stream().map(Line::quantity).toArray()));
        statement.setArray(at++, c.createArrayOf("numeric", lines.stream().map(Line::price).toArray()));
        List<Object> positions = new ArrayList<>();
        List<Object> names = new ArrayList<>();
        List<Object> prices = new ArrayList<>();
        for (Line line : lines) {
            for (int i = 0; i < line.costNames.size(); i++) {
                positions.add(line.position);
                names.add(line.costNames.get(i));
                prices.add(line.costPrices.get(i));
            }
        }
        statement.setArray(at++, c.createArrayOf("int4", positions.toArray()));
        statement.setArray(at++, c.createArrayOf("varchar", names.toArray()));
        statement.setArray(at++, c.createArrayOf("numeric", prices.toArray()));
        return at;
    }

    /** A cart line as stored or given: compared by value (prices by their numeric value), as the service compares them. */
    private record Line(int position, int lineId, String sku, String name, int quantity, BigDecimal price, List<String> costNames,
            List<BigDecimal> costPrices) {

        static List<Line> of(List<Map<String, Object>> cart) {
            List<Line> lines = new ArrayList<>();
            for (int i = 0; i < cart.size(); i++) {
                Map<String, Object> item = cart.get(i);
                List<String> costNames = new ArrayList<>();
                List<BigDecimal> costPrices = new ArrayList<>();
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> costs = (List<Map<String, Object>>) item.get("additionalCosts");
                for (Map<String, Object> cost : costs) {
                    costNames.add((String) cost.get("name"));
                    costPrices.add(new BigDecimal((String) cost.get("price")));
                }
                lines.add(new Line(i, i + 1, (String) item.get("sku"), (String) item.get("name"), (Integer) item.get("quantity"),
                        new BigDecimal((String) item.get("price")), costNames, costPrices));
            }
            return lines;
        }

        Line at(int newPosition, int newLineId) {
            return new Line(newPosition, newLineId, sku, name, quantity, price, costNames, costPrices);
        }

        boolean sameAs(Line other) {
            if (other == null || !sku.equals(other.sku) || !Objects.equals(name, other.name) || quantity != other.quantity
                    || price.compareTo(other.price) != 0 || !costNames.equals(other.costNames) || costPrices.size() != other.costPrices.size()) {
                return false;
            }
            for (int i = 0; i < costPrices.size(); i++) {
                if (costPrices.get(i).compareTo(other.costPrices.get(i)) != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    private record Session(long id, long version, long readVersion, List<String> costs, List<Line> cart, BigDecimal total) {
    }

    /**
     * Runs the service's read of one session (locked or not) and fetches every column of every row, as the service
     * maps them; the cart with its costs and the total summed. Null when there is no such session.
     */
    private static Session read(PreparedStatement read, long app, String id) throws SQLException {
        read.setLong(1, app);
        read.setString(2, id);
        read.setString(3, id);
        read.setNull(4, Types.VARCHAR); // no session token: a secret key's access
        read.setNull(5, Types.VARCHAR);
        read.setInt(6, MAX_ROWS + 1);
        try (ResultSet rows = read.executeQuery()) {
            if (!rows.next()) {
                return null;
            }
            Columns columns = new Columns(rows);
            long sessionId = rows.getLong("id");
            long version = rows.getLong("version");
            long readVersion = columns.has("read_version") ? rows.getLong("read_version") : version;
            List<String> costs = new ArrayList<>();
            BigDecimal total = BigDecimal.ZERO;
            if (rows.getArray("cost_names") != null) {
                String[] names = (String[]) rows.getArray("cost_names").getArray();
                BigDecimal[] prices = (BigDecimal[]) rows.getArray("cost_prices").getArray();
                for (int i = 0; i < names.length; i++) {
                    costs.add(names[i] + " " + prices[i].toPlainString());
                    total = total.add(prices[i]);
                }
            }
            List<Line> cart = new ArrayList<>();
            Line line = null;
            do {
                columns.fetchAll(rows);
                if (rows.getObject("line_position") == null) {
                    break; // no cart
                }
                int position = rows.getInt("line_position");
                if (line == null || line.position != position) {
                    line = new Line(position, rows.getInt("line_line_id"), rows.getString("line_sku"), rows.getString("line_name"),
                            rows.getInt("line_quantity"), rows.getBigDecimal("line_price"), new ArrayList<>(), new ArrayList<>());
                    cart.add(line);
                    total = total.add(line.price.multiply(BigDecimal.valueOf(line.quantity)));
                }
                BigDecimal cost = rows.getBigDecimal("line_cost_price");
                if (cost != null) {
                    line.costNames.add(rows.getString("line_cost_name"));
                    line.costPrices.add(cost);
                    total = total.add(cost.multiply(BigDecimal.valueOf(line.quantity)));
                }
            } while (rows.next());
            return new Session(sessionId, version, readVersion, costs, cart, total);
        }
    }

    /** Every column of a result fetched as its Java value (arrays as arrays), as a client that maps them all would. */
    private record Columns(int count, boolean[] arrays, List<String> names) {
        Columns(ResultSet rows) throws SQLException {
            this(rows.getMetaData().getColumnCount(), arrays(rows.getMetaData()), names(rows.getMetaData()));
        }

        private static boolean[] arrays(ResultSetMetaData meta) throws SQLException {
            boolean[] arrays = new boolean[meta.getColumnCount() + 1];
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                arrays[i] = meta.getColumnType(i) == Types.ARRAY;
            }
            return arrays;
        }

        private static List<String> names(ResultSetMetaData meta) throws SQLException {
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                names.add(meta.getColumnLabel(i));
            }
            return names;
        }

        boolean has(String name) {
            return names.contains(name);
        }

        void fetchAll(ResultSet rows) throws SQLException {
            for (int i = 1; i <= count; i++) {
                if (arrays[i]) {
                    java.sql.Array array = rows.getArray(i);
                    if (array != null) {
                        array.getArray();
                    }
                } else {
                    rows.getObject(i);
                }
            }
        }
    }

    /** The service's page: 50 sessions (51 asked, to know there is a next page) with their costs, then their cart lines. */
    private static void page(Connection c, PreparedStatement page, PreparedStatement lines, long pageApplication) throws SQLException {
        page.setLong(1, pageApplication);
        page.setInt(2, 51);
        List<Long> ids = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        try (ResultSet rows = page.executeQuery()) {
            Columns columns = new Columns(rows);
            while (rows.next() && ids.size() < 50) {
                columns.fetchAll(rows);
                ids.add(rows.getLong("id"));
                for (BigDecimal cost : (BigDecimal[]) rows.getArray("cost_prices").getArray()) {
                    total = total.add(cost);
                }
            }
        }
        lines.setLong(1, pageApplication);
        lines.setArray(2, c.createArrayOf("bigint", ids.toArray()));
        lines.setInt(3, MAX_ROWS + 1);
        int count = 0;
        try (ResultSet rows = lines.executeQuery()) {
            Columns columns = new Columns(rows);
            while (rows.next()) {
                columns.fetchAll(rows);
                BigDecimal units = BigDecimal.valueOf(rows.getInt("line_quantity"));
                total = total.add(rows.getBigDecimal("line_price").multiply(units));
                BigDecimal cost = rows.getBigDecimal("line_cost_price");
                if (cost != null) {
                    total = total.add(cost.multiply(units));
                }
                count++;
            }
        }
        if (ids.size() != 50 || count != 500) {
            throw new IllegalStateException("page of " + ids.size() + " sessions, " + count + " lines");
        }
        check(Bodies.pageTotal(50), total);
    }

    private static void check(BigDecimal expected, BigDecimal actual) {
        if (expected.compareTo(actual) != 0) {
            throw new IllegalStateException("total " + actual + ", expected " + expected);
        }
    }
}
