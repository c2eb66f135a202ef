package dev.customersessions.session;

import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.customersessions.support.TestApplication;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * How many SQL statements a request costs, counted by the database itself (pg_stat_statements, which the embedded
 * PostgreSQL of the tests preloads), whatever issues them: exactly the counts docs/benchmark.md and docs/testing.md
 * give, the same for a cart of 10 items as for 100 and for a page of 5 sessions as for 50. A read is 1 statement with
 * no transaction; a page 2; an update 1 (nothing changed), 2 (changed) or 2 (created); closing 2; a return 2 or 3;
 * each write also has its transaction's BEGIN (PostgreSQL's statistics do not list the COMMIT).
 */
@QuarkusTest
class StatementCountTest {

    @Inject
    AgroalDataSource dataSource;

    /**
     * Its cleanup of expired idempotency keys (every second in tests) would count among the statements, and so would the
     * webhooks' fan-out and delivery claims (every 250 ms), which pause with the scheduler.
     */
    @Inject
    Scheduler scheduler;

    /** Statements of one request: its own, and the transaction's (BEGIN, COMMIT, ROLLBACK, SET). */
    record Count(long statements, long transaction, List<String> seen, List<String> queries) {
        @Override
        public String toString() {
            return statements + " statements, " + transaction + " of the transaction: " + seen;
        }
    }

    @BeforeEach
    void setUp() {
        scheduler.pause();
        sql("create extension if not exists pg_stat_statements");
    }

    @AfterEach
    void resumeScheduledJobs() {
        scheduler.resume();
    }

    @Test
    void aReadIsOneStatementWhateverTheCartSize() {
        TestApplication shop = TestApplication.create();
        shop.updateOk("ten", session(10, 1));
        shop.updateOk("hundred", session(100, 1));
        for (Count read : List.of(countRead(() -> assertRead(shop, "ten", 10)), countRead(() -> assertRead(shop, "hundred", 100)))) {
            assertCount(1, 0, read);
        }
    }

    @Test
    void aReadThatAsksForNothingOfTheCartDoesNotReadIt() {
        TestApplication shop = TestApplication.create();
        shop.updateOk("big", session(100, 1));
        Count read = countRead(() -> {
            JsonPath state = shop.call("sessionState", vars("integrationId", "big"));
            assertEquals("open", state.getString("data.customerSession.state"));
            assertEquals("4.95", state.getString("data.customerSession.additionalCostTotal"));
        });
        assertCount(1, 0, read);
        assertTrue(read.queries.stream().noneMatch(query -> query.contains("cart_item")), "no cart line is read: " + read);
    }

    @Test
    void aPageOfSessionsWithCartsIsTwoStatementsWhateverThePageSize() {
        TestApplication shop = TestApplication.create();
        for (int i = 0; i < 50; i++) {
            shop.updateOk("s-" + i, session(3, 1 + i));
        }
        for (Count page : List.of(countRead(() -> assertPage(shop, 5)), countRead(() -> assertPage(shop, 50)))) {
            assertCount(2, 0, page);
        }
    }

    @Test
    void anUpdateIsOneStatementWhenNothingChangesAndTwoOtherwiseWhateverTheCartSize() {
        TestApplication shop = TestApplication.create();
        for (int size : new int[] {10, 100}) {
            for (String id : List.of("warm-up-" + size, "cart-" + size)) { // the first time only, a driver may look types up
                Count create = count(() -> assertEquals(1, shop.updateOk(id, session(size, 1)).get("version")));
                Count repeat = count(() -> assertEquals(1, shop.updateOk(id, session(size, 1)).get("version")));
                Count change = count(() -> assertEquals(2, shop.updateOk(id, session(size, 2)).get("version")));
                if (id.startsWith("warm-up")) {
                    continue;
                }
                System.out.printf("statements of a %d-item cart: repeat %s; change %s; create %s%n", size, repeat, change, create);
                assertCount(2, 1, create); // looked up (nothing found) with the lock, then inserted with its cart
                assertCount(1, 1, repeat); // read with the lock: nothing to write
                assertCount(2, 1, change); // read with the lock, then the changed line, costs and session row in one statement
            }
        }
    }

    @Test
    void closingASessionIsTwoStatementsWhateverTheCartSize() {
        TestApplication shop = TestApplication.create();
        List<Count> counts = new ArrayList<>();
        for (String id : List.of("warm-up", "ten", "hundred")) {
            shop.updateOk(id, session(id.equals("hundred") ? 100 : 10, 1));
            counts.add(count(() -> {
                JsonPath closed = shop.call("closeCustomerSession", vars("integrationId", id));
                assertEquals("closed", closed.getString("data.closeCustomerSession.customerSession.state"));
                assertEquals(2, closed.getInt("data.closeCustomerSession.customerSession.version"));
            }));
        }
        assertCount(2, 1, counts.get(1)); // the session and its cart read under the lock, then the state written
        assertCount(2, 1, counts.get(2));
    }

    @Test
    void aReturnIsTwoStatementsAndThreeOnceTheSessionHasReturns() {
        TestApplication shop = TestApplication.create();
        List<Count> counts = new ArrayList<>();
        for (String id : List.of("warm-up", "returned")) {
            shop.updateOk(id, session(100, 3));
            shop.call("closeCustomerSession", vars("integrationId", id));
            counts.add(count(() -> assertReturned(shop, id, 1, 3)));
            counts.add(count(() -> assertReturned(shop, id, 2, 4)));
        }
        assertCount(2, 1, counts.get(2)); // the closed session read with the lock (it has no returns yet), then the return written
        assertCount(3, 1, counts.get(3)); // the same and the session's returns, read for the response
    }

    private static void assertReturned(TestApplication shop, String id, int returns, long version) {
        JsonPath returned = shop.call("returnCartItems", vars("integrationId", id, "items", List.of(vars("position", 99, "quantity", 1))));
        assertEquals(List.of(), returned.getList("data.returnCartItems.userErrors"));
        assertEquals(returns, returned.getInt("data.returnCartItems.customerSession.cartItems[99].returnedQuantity"));
        assertEquals(returns, returned.getList("data.returnCartItems.customerSession.returns").size());
        assertEquals(version, returned.getLong("data.returnCartItems.customerSession.version"));
    }

    /** {@code statements} of the request's own and {@code transaction} of its transaction's (BEGIN). */
    private static void assertCount(long statements, long transaction, Count count) {
        assertEquals(statements, count.statements, "statements: " + count);
        assertEquals(transaction, count.transaction, "transaction statements: " + count);
    }

    /** A session of {@code items} cart items of 2 × 1.25 with a cost of 0.5 each, and shipping; the last item's quantity is {@code lastQuantity}. */
    private static Map<String, Object> session(int items, int lastQuantity) {
        List<Map<String, Object>> cart = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            cart.add(vars("sku", "SKU-" + i, "name", "Item " + i, "quantity", i == items - 1 ? lastQuantity : 2, "price", "1.25",
                    "additionalCosts", List.of(Map.of("name", "wrap", "price", "0.5"))));
        }
        return Map.of("cartItems", cart, "additionalCosts", List.of(Map.of("name", "shipping", "price", "4.95")));
    }

    private static void assertRead(TestApplication shop, String id, int items) {
        JsonPath read = shop.call("readSession", vars("integrationId", id));
        assertEquals(items, read.getList("data.customerSession.cartItems").size());
        // (items - 1) × 2 × 1.25 + 1 × 1.25 items; the same quantities × 0.5 costs; shipping 4.95
        BigDecimal units = BigDecimal.valueOf(2L * (items - 1) + 1);
        BigDecimal expected = units.multiply(new BigDecimal("1.75")).add(new BigDecimal("4.95"));
        assertEquals(0, expected.compareTo(new BigDecimal(read.getString("data.customerSession.total"))));
    }

    private static void assertPage(TestApplication shop, int first) {
        JsonPath page = shop.call("customerSessionsWithCarts", vars("first", first));
        List<Map<String, Object>> nodes = page.getList("data.customerSessions.edges.node");
        assertEquals(first, nodes.size());
        for (Map<String, Object> node : nodes) {
            assertEquals(3, ((List<?>) node.get("cartItems")).size());
        }
    }

    /** Reads are repeated once before they are counted, so that nothing done the first time only (a driver's type lookup) counts. */
    private Count countRead(Runnable read) {
        read.run();
        return count(read);
    }

    private Count count(Runnable request) {
        sql("select pg_stat_statements_reset()");
        request.run();
        long statements = 0;
        long transaction = 0;
        List<String> seen = new ArrayList<>();
        List<String> queries = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("select query, calls from pg_stat_statements where dbid = (select oid from pg_database "
                        + "where datname = current_database()) and query not like '%pg_stat_statements%' "
                        + "and query <> 'select pg_backend_pid()' and query not ilike 'listen %'")) {
            while (rows.next()) {
                String query = rows.getString(1).trim();
                long calls = rows.getLong(2);
                String word = query.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
                if (List.of("begin", "commit", "rollback", "set", "savepoint", "release", "start").contains(word)) {
                    transaction += calls;
                } else {
                    statements += calls;
                }
                seen.add(calls + "× " + (query.length() > 90 ? query.substring(0, 90) + "…" : query));
                queries.add(query);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Count(statements, transaction, seen, queries);
    }

    private void sql(String statement) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
