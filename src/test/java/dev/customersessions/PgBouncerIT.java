package dev.customersessions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import dev.customersessions.support.PgBouncerDatabase;
import dev.customersessions.support.SecondInstance;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged application behind PgBouncer in transaction mode (docs/pooler.md): the acceptance flow of
 * {@link PgBouncerAcceptance}, and the time limits as the defaults of the service's role, which every server session
 * PgBouncer opens gets. Needs PgBouncer (Debian: apt-get install pgbouncer); without it the test is left out, saying
 * so, except with CI set.
 */
@QuarkusIntegrationTest
@WithTestResource(value = PgBouncerDatabase.class, initArgs = @ResourceArg(name = "pool_mode", value = "transaction"))
@EnabledIf("dev.customersessions.support.PgBouncerDatabase#installed")
class PgBouncerIT extends PgBouncerAcceptance {

    @Test
    void theTimeLimitsAreTheRolesDefaults() throws Exception {
        assertEquals(Set.of("lock_timeout=" + PgBouncerDatabase.LOCK_TIMEOUT, "statement_timeout=10s", "idle_in_transaction_session_timeout=10s"),
                Set.copyOf(roleSettings()));
        // Every server session PgBouncer has (all four, held at once by four transactions) runs with them.
        List<Connection> clients = new ArrayList<>();
        try {
            for (int i = 0; i < PgBouncerDatabase.SERVER_SESSIONS; i++) {
                Connection client = PgBouncerDatabase.pooled();
                clients.add(client);
                client.setAutoCommit(false);
                try (Statement statement = client.createStatement();
                        ResultSet row = statement.executeQuery("select current_setting('lock_timeout') as lock, pg_backend_pid() as pid")) {
                    row.next();
                    assertEquals(PgBouncerDatabase.LOCK_TIMEOUT, row.getString("lock"), "server session " + row.getInt("pid"));
                }
            }
        } finally {
            for (Connection client : clients) {
                client.rollback();
                client.close();
            }
        }
    }

    /**
     * An instance without the listen URL caches nothing (a LISTEN through PgBouncer would hear nothing): a key revoked
     * behind its back, without any eviction, is refused by its next request.
     */
    @Test
    void withoutTheListenUrlNothingIsCached() throws Exception {
        TestApplication shop = TestApplication.create();
        try (SecondInstance second = SecondInstance.start(8096, 9096, PgBouncerDatabase.secondInstanceOptions())) {
            assertEquals("OK", ApiKeyRevocationTwoInstancesIT.read(second.port, shop.apiKey));
            assertEquals("OK", ApiKeyRevocationTwoInstancesIT.read(second.port, shop.apiKey));
            try (Connection direct = PgBouncerDatabase.direct();
                    PreparedStatement revoke = direct.prepareStatement("update api_key set revoked = now() where application_id = ?")) {
                revoke.setLong(1, shop.id);
                assertEquals(1, revoke.executeUpdate());
            }
            assertEquals("UNAUTHENTICATED", ApiKeyRevocationTwoInstancesIT.read(second.port, shop.apiKey));
        }
    }

    /** The settings of the service's role (postgres) in its database, as stored. */
    static List<String> roleSettings() throws Exception {
        try (Connection direct = PgBouncerDatabase.direct(); Statement statement = direct.createStatement();
                ResultSet row = statement.executeQuery("select s.setconfig from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase "
                        + "where d.datname = 'postgres' and s.setrole = 'postgres'::regrole")) {
            return row.next() ? Arrays.asList((String[]) row.getArray(1).getArray()) : List.of();
        }
    }
}
