package dev.customersessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Upgrades of databases holding data. One from before definitions existed: migration V3 defines every attribute and
 * cost name in use, with its stored type and the scope it was used in, so that sending those sessions again is still
 * accepted; and the ids of sessions and cart items, given by the database from V5 on, go on after the ones stored. One
 * from before every key of the session aggregate led with application_id (V11): every row reads back as it was, each
 * child row with its session's application, and the keys cascade as before. (Plain JUnit on an embedded PostgreSQL of
 * its own, migrated step by step with Flyway.)
 */
class MigrationUpgradeTest {

    @Test
    void namesInUseBeforeDefinitionsAreDefinedOnUpgrade() throws Exception {
        onDatabaseAt("2", database -> {
            execute(database, """
                    insert into application (id, name, currency, created, updated, version) values (1, 'Old shop', 'EUR', now(), now(), 0);
                    insert into customer_session (id, application_id, integration_id, state, attributes, first_session, created, updated, version)
                    values (10, 1, 'old-1', 'open', '{"city": {"type": "STRING", "value": "Berlin"}, "vip": {"type": "BOOLEAN", "value": true}}', true, now(), now(), 1),
                           (11, 1, 'old-2', 'closed', '{"city": {"type": "STRING", "value": "Paris"}}', true, now(), now(), 1);
                    insert into session_additional_cost (session_id, name, price) values (10, 'shipping', 4.99), (11, 'handling', 1);
                    insert into cart_item (id, session_id, position, sku, quantity, price, attributes)
                    values (100, 10, 0, 'A', 1, 5, '{"size": {"type": "NUMBER", "value": 42}}');
                    insert into cart_item_additional_cost (cart_item_id, name, price) values (100, 'handling', 0.5), (100, 'wrap', 1);
                    """);
            flyway(database, "latest").migrate();
            assertEquals(List.of("CART_ITEM size NUMBER", "CUSTOMER_SESSION city STRING", "CUSTOMER_SESSION vip BOOLEAN"),
                    rows(database, "select entity || ' ' || name || ' ' || type from attribute_definition where application_id = 1 order by 1"));
            assertEquals(List.of("handling BOTH", "shipping SESSION", "wrap ITEM"),
                    rows(database, "select name || ' ' || scope from additional_cost_definition where application_id = 1 order by 1"));
            // Every stored line gets a line id (V6), and its session the next one to give.
            assertEquals(List.of("1"), rows(database, "select line_id from cart_item where id = 100"));
            assertEquals(List.of("10 2", "11 1"), rows(database, "select id || ' ' || next_line_id from customer_session order by id"));
            // Ids of sessions and cart items come from identity columns (V5), going on after the largest id stored.
            execute(database, """
                    insert into customer_session (application_id, integration_id, state, first_session, created, updated, version)
                    values (1, 'new-1', 'open', true, now(), now(), 1);
                    insert into cart_item (application_id, session_id, position, line_id, sku, quantity, price)
                    values (1, 10, 1, 2, 'B', 1, 5), (1, 10, 2, 3, 'C', 1, 5);
                    """);
            assertEquals(List.of("12"), rows(database, "select id from customer_session where integration_id = 'new-1'"));
            assertEquals(List.of("101", "102"), rows(database, "select id from cart_item where session_id = 10 and position > 0 order by id"));
        });
    }

    /** The tables of the session aggregate and their rows as the service reads them, application_id left out. */
    private static final List<String> AGGREGATE = List.of(
            "select (id, integration_id, profile_id, state, merged_into, attributes, version, next_line_id)::text from customer_session order by id",
            "select (session_id, name, price)::text from session_additional_cost order by session_id, name",
            "select (id, session_id, position, line_id, sku, quantity, price, returned_quantity, attributes)::text from cart_item order by id",
            "select (cart_item_id, name, price)::text from cart_item_additional_cost order by cart_item_id, name",
            "select (id, session_id, created)::text from cart_item_return order by id",
            "select (return_id, position, quantity)::text from cart_item_return_line order by return_id, position",
            "select (scope, key, fingerprint, response, session_id)::text from idempotency_key order by scope, key");

    @Test
    void everyRowOfTheAggregateGetsItsSessionsApplicationOnUpgrade() throws Exception {
        onDatabaseAt("9", database -> {
            // Two applications: a merged guest session, a returned one, carts with costs, kept answers with and without a session.
            execute(database, """
                    insert into application (id, name, currency, created, updated, version)
                    values (1, 'Shop', 'EUR', now(), now(), 0), (2, 'Other shop', 'USD', now(), now(), 0);
                    insert into customer_session (id, application_id, integration_id, profile_id, state, attributes, first_session, created,
                                                  updated, version, next_line_id)
                    values (10, 1, 'guest', 'alice', 'open', '{"city": {"type": "STRING", "value": "Berlin"}}', true, now(), now(), 1, 3),
                           (11, 1, 'customer', 'alice', 'open', '{}', false, now(), now(), 2, 2),
                           (12, 2, 'returned', null, 'partially_returned', '{}', true, now(), now(), 3, 3),
                           (13, 2, 'empty', null, 'open', '{}', true, now(), now(), 1, 1);
                    update customer_session set state = 'merged', merged_into = 11 where id = 10;
                    insert into session_additional_cost (session_id, name, price) values (10, 'shipping', 4.99), (12, 'shipping', 5), (12, 'handling', 1);
                    insert into cart_item (id, session_id, position, line_id, sku, quantity, price, returned_quantity, attributes)
                    values (100, 10, 0, 1, 'A', 2, 5, 0, '{"size": {"type": "NUMBER", "value": 42}}'), (101, 10, 1, 2, 'B', 1, 3, 0, '{}'),
                           (102, 11, 0, 1, 'A', 1, 5, 0, '{}'), (103, 12, 0, 1, 'C', 3, 7, 2, '{}'), (104, 12, 1, 2, 'D', 1, 2, 1, '{}');
                    insert into cart_item_additional_cost (cart_item_id, name, price) values (100, 'wrap', 0.5), (100, 'handling', 1), (103, 'wrap', 0.25);
                    insert into cart_item_return (id, session_id, created) values (1000, 12, now()), (1001, 12, now());
                    insert into cart_item_return_line (return_id, position, quantity) values (1000, 0, 1), (1000, 1, 1), (1001, 0, 1);
                    insert into idempotency_key (scope, key, fingerprint, response, created, session_id)
                    values ('application:1', 'merge', 'f1', '{"data": {}}', now(), 11), ('application:2', 'return', 'f2', '{"data": {}}', now(), 12),
                           ('management', 'create', 'f3', null, now(), null);
                    """);
            List<List<String>> before = new ArrayList<>();
            for (String query : AGGREGATE) {
                before.add(rows(database, query));
            }
            flyway(database, "latest").migrate();
            for (int i = 0; i < AGGREGATE.size(); i++) {
                assertEquals(before.get(i), rows(database, AGGREGATE.get(i)), AGGREGATE.get(i));
            }
            // Each child row has its session's application.
            assertEquals(List.of("1 10", "1 11", "2 12"), rows(database, """
                    select distinct application_id || ' ' || session_id from (select application_id, session_id from session_additional_cost
                    union all select application_id, session_id from cart_item union all select application_id, session_id from cart_item_return) c
                    order by 1"""));
            assertEquals(List.of("1 100", "1 100", "2 103"),
                    rows(database, "select application_id || ' ' || cart_item_id from cart_item_additional_cost order by cart_item_id, application_id"));
            assertEquals(List.of("2 1000", "2 1000", "2 1001"),
                    rows(database, "select application_id || ' ' || return_id from cart_item_return_line order by return_id"));
            // The keys hold as before: a second line at a taken position of the cart is refused.
            assertThrows(SQLException.class, () -> execute(database,
                    "insert into cart_item (application_id, session_id, position, line_id, sku, quantity, price) values (1, 11, 0, 9, 'X', 1, 1)"));
            // A session of another application cannot be referred to; a session's deletion takes its rows along and clears
            // merged_into (not application_id) in the sessions merged into it. The kept answers have no foreign key any more:
            // the statements that delete sessions delete them (CustomerSessionRepository).
            assertThrows(SQLException.class, () -> execute(database,
                    "insert into cart_item (application_id, session_id, position, line_id, sku, quantity, price) values (2, 11, 5, 9, 'X', 1, 1)"));
            execute(database, "delete from customer_session where id in (11, 12)");
            assertEquals(List.of("10 1 null"), rows(database, "select id || ' ' || application_id || ' ' || coalesce(merged_into::text, 'null') "
                    + "from customer_session where id = 10"));
            assertEquals(List.of("0"), rows(database, """
                    select (select count(*) from cart_item where session_id in (11, 12))
                         + (select count(*) from cart_item_additional_cost where cart_item_id = 103)
                         + (select count(*) from session_additional_cost where session_id = 12) + (select count(*) from cart_item_return)
                         + (select count(*) from cart_item_return_line)"""));
            assertEquals(List.of("3"), rows(database, "select count(*) from idempotency_key"));
        });
    }

    /**
     * Ready for sharding by application (docs/scaling.md): in every table of the session aggregate and its outbox, every
     * unique index (primary keys included) and every foreign key leads with application_id, and no other table has a
     * foreign key to one of them.
     */
    @Test
    void everyKeyOfTheAggregateLeadsWithTheApplication() throws Exception {
        onDatabaseAt("latest", database -> {
            String tables = "('customer_session', 'session_additional_cost', 'cart_item', 'cart_item_additional_cost', 'cart_item_return', "
                    + "'cart_item_return_line', 'session_event')";
            assertEquals(List.of(), rows(database, "select indexrelid::regclass::text from pg_index where indisunique and indrelid::regclass::text in "
                    + tables + " and (select attname from pg_attribute where attrelid = indrelid and attnum = indkey[0]) is distinct from 'application_id'"));
            assertEquals(List.of(), rows(database, "select conname from pg_constraint where contype = 'f' and conrelid::regclass::text in " + tables
                    + " and (select attname from pg_attribute where attrelid = conrelid and attnum = conkey[1]) <> 'application_id'"));
            assertEquals(List.of(), rows(database, "select conname from pg_constraint where contype = 'f' and confrelid::regclass::text in " + tables
                    + " and conrelid::regclass::text not in " + tables));
            assertEquals(List.of("7"), rows(database,
                    "select count(distinct indrelid) from pg_index where indisprimary and indrelid::regclass::text in " + tables));
        });
    }

    @FunctionalInterface
    private interface DatabaseCheck {
        void run(DataSource database) throws Exception;
    }

    /** Runs the check on an embedded PostgreSQL of its own, migrated to the target version. */
    private static void onDatabaseAt(String target, DatabaseCheck check) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start()) {
            DataSource database = postgres.getPostgresDatabase();
            flyway(database, target).migrate();
            check.run(database);
        }
    }

    private static Flyway flyway(DataSource database, String target) {
        return Flyway.configure().dataSource(database).locations("classpath:db/migration").target(target).load();
    }

    private static void execute(DataSource database, String statements) throws SQLException {
        try (Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute(statements);
        }
    }

    private static List<String> rows(DataSource database, String query) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.getConnection(); Statement sql = connection.createStatement();
                ResultSet result = sql.executeQuery(query)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}
