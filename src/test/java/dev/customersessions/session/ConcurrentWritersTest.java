package dev.customersessions.session;

import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Many clients writing one session at once: no acknowledged change is lost, and versions count the changes. */
@QuarkusTest
class ConcurrentWritersTest {

    private static final int THREADS = 20;
    private static final int CHANGES_PER_THREAD = 4;

    @Test
    void optimisticWritersWithRetriesLoseNothing() throws Exception {
        TestApplication shop = TestApplication.create();
        String id = "hot-session";
        shop.updateOk(id, Map.of());
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicInteger conflicts = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                writers.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    for (int c = 0; c < CHANGES_PER_THREAD; c++) {
                        String code = "T" + thread + "-C" + c;
                        for (int attempt = 0;; attempt++) {
                            assertTrue(attempt < 1000, "gave up retrying");
                            // Read, add one coupon code to what was read, write back only if nobody wrote in between.
                            Map<String, Object> read = shop.stored(id);
                            @SuppressWarnings("unchecked")
                            List<String> codes = new ArrayList<>((List<String>) read.get("couponCodes"));
                            codes.add(code);
                            JsonPath response = shop.call("updateCustomerSession", vars("integrationId", id,
                                    "input", Map.of("couponCodes", codes), "expectedVersion", read.get("version")));
                            List<Map<String, Object>> errors = response.getList("data.updateCustomerSession.userErrors");
                            if (errors.isEmpty()) {
                                acknowledged.add(code);
                                break;
                            }
                            assertEquals("VERSION_CONFLICT", errors.get(0).get("code"));
                            conflicts.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Object> finalSession = shop.stored(id);
        @SuppressWarnings("unchecked")
        Set<String> stored = new HashSet<>((List<String>) finalSession.get("couponCodes"));
        assertEquals(THREADS * CHANGES_PER_THREAD, acknowledged.size());
        assertEquals(new HashSet<>(acknowledged), stored, "every acknowledged change is in the stored session");
        assertEquals(1 + acknowledged.size(), finalSession.get("version"), "one version per stored change");
        assertTrue(conflicts.get() > 0, "the writers really did collide");
    }

    @Test
    void blindConcurrentWritersAreSerializedNotLost() throws Exception {
        TestApplication shop = TestApplication.create();
        String id = "blind-session";
        shop.updateOk(id, Map.of());
        int writers = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Integer>> versions = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                String profile = "profile-" + w;
                versions.add(pool.submit(() -> {
                    start.await();
                    return (Integer) shop.updateOk(id, Map.of("profileId", profile)).get("version");
                }));
            }
            start.countDown();
            Set<Integer> seen = new HashSet<>();
            for (Future<Integer> version : versions) {
                seen.add(version.get(5, TimeUnit.MINUTES));
            }
            Set<Integer> expected = new HashSet<>();
            for (int v = 2; v <= writers + 1; v++) {
                expected.add(v);
            }
            assertEquals(expected, seen, "each write built on the one before: versions 2..21, each once");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(writers + 1, shop.stored(id).get("version"));
    }

    @Test
    void concurrentCreationsOfOneIntegrationIdMakeOneSession() throws Exception {
        TestApplication shop = TestApplication.create();
        int clients = 10;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Map<String, Object>>> results = new ArrayList<>();
        try {
            for (int c = 0; c < clients; c++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return shop.updateOk("new-session", Map.of("profileId", "same-customer"));
                }));
            }
            start.countDown();
            Set<Object> ids = new HashSet<>();
            for (Future<Map<String, Object>> result : results) {
                Map<String, Object> session = result.get(5, TimeUnit.MINUTES);
                ids.add(session.get("id"));
                assertEquals(1, session.get("version"), "the same content again is no change");
            }
            assertEquals(1, ids.size());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, shop.call("customerSessions", vars()).getList("data.customerSessions.edges").size());
    }
}
