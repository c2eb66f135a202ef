package dev.customersessions.engine;

import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.TestApplication;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Requests that wait on the database hold up no one else, and waits are bounded: a writer that cannot get a row
 * lock within the lock timeout (2 s) gets BUSY, and the stored session is unchanged.
 */
@QuarkusTest
class RequestIsolationTest {

    private static final int READERS = 16;

    @Inject
    AgroalDataSource dataSource;

    /** Holds the row lock of a session, as a long transaction of another writer would, until closed. */
    private final class HeldLock implements AutoCloseable {
        private final Connection connection;

        HeldLock(TestApplication shop, String integrationId) throws Exception {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement(
                    "select id from customer_session where application_id = ? and integration_id = ? for update")) {
                lock.setLong(1, shop.id);
                lock.setString(2, integrationId);
                try (ResultSet row = lock.executeQuery()) {
                    assertTrue(row.next(), "no session to lock");
                }
            }
        }

        @Override
        public void close() throws Exception {
            connection.rollback();
            connection.close();
        }
    }

    @Test
    void aWriterWaitingOnALockDelaysNoOtherRequest() throws Exception {
        TestApplication shop = TestApplication.create();
        shop.updateOk("hot", Map.of());
        for (int i = 0; i < READERS; i++) {
            shop.updateOk("other-" + i, Map.of("couponCodes", List.of("C" + i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(READERS + 1);
        try {
            Future<JsonPath> waitingWriter;
            List<Long> readMillis = new ArrayList<>();
            try (HeldLock lock = new HeldLock(shop, "hot")) {
                waitingWriter = pool.submit(() -> shop.update("hot", Map.of("couponCodes", List.of("LATE"))));
                Thread.sleep(300); // the writer is now waiting for the lock
                List<Future<Long>> reads = new ArrayList<>();
                for (int i = 0; i < READERS; i++) {
                    String id = "other-" + i;
                    reads.add(pool.submit((Callable<Long>) () -> {
                        long started = System.nanoTime();
                        assertEquals(List.of(id.replace("other-", "C")), shop.stored(id).get("couponCodes"));
                        return (System.nanoTime() - started) / 1_000_000;
                    }));
                }
                for (Future<Long> read : reads) {
                    readMillis.add(read.get(30, TimeUnit.SECONDS));
                }
                assertTrue(!waitingWriter.isDone(), "the writer should still be waiting for the lock");
            }
            // The 16 reads finished while the writer waited; none was queued behind it (it waits up to 2 s).
            assertTrue(readMillis.stream().allMatch(ms -> ms < 1500), "read times in ms: " + readMillis);
            JsonPath written = waitingWriter.get(30, TimeUnit.SECONDS);
            assertEquals(List.of(), written.getList("data.updateCustomerSession.userErrors"), written::prettify);
            assertEquals(List.of("LATE"), shop.stored("hot").get("couponCodes"));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Many writers queued on one locked session: each gets BUSY after the lock timeout, nothing is changed. */
    @Test
    void writersThatCannotGetTheLockAnswerBusy() throws Exception {
        TestApplication shop = TestApplication.create();
        Map<String, Object> before = shop.updateOk("hot", Map.of("couponCodes", List.of("KEEP")));
        int writers = 30;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try (HeldLock lock = new HeldLock(shop, "hot")) {
            List<Future<JsonPath>> answers = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < writers; i++) {
                String code = "W" + i;
                boolean close = i % 2 == 0;
                answers.add(pool.submit(() -> close ? shop.call("closeCustomerSession", vars("integrationId", "hot"))
                        : shop.update("hot", Map.of("couponCodes", List.of(code)))));
            }
            for (Future<JsonPath> answer : answers) {
                JsonPath response = answer.get(60, TimeUnit.SECONDS);
                assertEquals("BUSY", response.getString("errors[0].extensions.code"), response::prettify);
                assertTrue(response.getString("errors[0].message").contains("retry"), response::prettify);
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            assertTrue(seconds < 20, "took " + seconds + " s");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(before, shop.stored("hot"));
    }
}
