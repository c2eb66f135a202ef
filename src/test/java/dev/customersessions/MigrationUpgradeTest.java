package dev.customersessions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An upgrade of a database holding sessions from before definitions existed: migration V3 defines every attribute
 * and cost name in use, with its stored type and the scope it was used in, so that sending those sessions again is
 * still accepted; and the ids of sessions and cart items, given by the database from V5 on, go on after the ones stored.
 * (Plain JUnit on an embedded PostgreSQL of its own, migrated step by step with Flyway.)
 */
class MigrationUpgradeTest {

    @Test
    void namesInUseBeforeDefinitionsAreDefinedOnUpgrade() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start()) {
            DataSource database = postgres.getPostgresDatabase();
            flyway(database, "2").migrate();
            try (Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
                sql.execute("""
                        insert into application (id, name, currency, created, updated, version) values (1, 'Old shop', 'EUR', now(), now(), 0);
                        insert into customer_session (id, application_id, integration_id, state, attributes, first_session, created, updated, version)
                        values (10, 1, 'old-1', 'open', '{"city": {"type": "STRING", "value": "Berlin"}, "vip": {"type": "BOOLEAN", "value": true}}', true, now(), now(), 1),
                               (11, 1, 'old-2', 'closed', '{"city": {"type": "STRING", "value": "Paris"}}', true, now(), now(), 1);
                        insert into session_additional_cost (session_id, name, price) values (10, 'shipping', 4.99), (11, 'handling', 1);
                        insert into cart_item (id, session_id, position, sku, quantity, price, attributes)
                        values (100, 10, 0, 'A', 1, 5, '{"size": {"type": "NUMBER", "value": 42}}');
                        insert into cart_item_additional_cost (cart_item_id, name, price) values (100, 'handling', 0.5), (100, 'wrap', 1);
                        """);
            }
            flyway(database, "latest").migrate();
            assertEquals(List.of("CART_ITEM size NUMBER", "CUSTOMER_SESSION city STRING", "CUSTOMER_SESSION vip BOOLEAN"),
                    rows(database, "select entity || ' ' || name || ' ' || type from attribute_definition where application_id = 1 order by 1"));
            assertEquals(List.of("handling BOTH", "shipping SESSION", "wrap ITEM"),
                    rows(database, "select name || ' ' || scope from additional_cost_definition where application_id = 1 order by 1"));
            // Every stored line gets a line id (V6), and its session the next one to give.
            assertEquals(List.of("1"), rows(database, "select line_id from cart_item where id = 100"));
            assertEquals(List.of("10 2", "11 1"), rows(database, "select id || ' ' || next_line_id from customer_session order by id"));
            // Ids of sessions and cart items come from identity columns (V5), going on after the largest id stored.
            try (Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
                sql.execute("""
                        insert into customer_session (application_id, integration_id, state, first_session, created, updated, version)
                        values (1, 'new-1', 'open', true, now(), now(), 1);
                        insert into cart_item (session_id, position, line_id, sku, quantity, price) values (10, 1, 2, 'B', 1, 5), (10, 2, 3, 'C', 1, 5);
                        """);
            }
            assertEquals(List.of("12"), rows(database, "select id from customer_session where integration_id = 'new-1'"));
            assertEquals(List.of("101", "102"), rows(database, "select id from cart_item where session_id = 10 and position > 0 order by id"));
        }
    }

    private static Flyway flyway(DataSource database, String target) {
        return Flyway.configure().dataSource(database).locations("classpath:db/migration").target(target).load();
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
