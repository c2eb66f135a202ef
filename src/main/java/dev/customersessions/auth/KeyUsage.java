package dev.customersessions.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ArrayBlockingQueue;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;

/**
 * Records when each API key was last used, to the minute: at most one write per key and minute on each instance, in the
 * background, so that a request neither waits for it nor holds a second connection.
 */
@ApplicationScoped
public class KeyUsage {

    private static final Logger LOG = Logger.getLogger(KeyUsage.class);
    private static final long PERIOD_MILLIS = 60_000;

    @Inject
    AgroalDataSource dataSource;

    private final Map<Long, Long> recorded = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1000),
            runnable -> {
                Thread thread = new Thread(runnable, "api-key-usage");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.DiscardPolicy());

    void used(long keyId) {
        long now = System.currentTimeMillis();
        Long last = recorded.get(keyId);
        if (last != null && now - last < PERIOD_MILLIS) {
            return;
        }
        if (recorded.size() > 100_000) {
            recorded.values().removeIf(at -> now - at >= PERIOD_MILLIS); // those would be written again anyway
        }
        recorded.put(keyId, now);
        writer.execute(() -> {
            try (var connection = dataSource.getConnection();
                    var statement = connection.prepareStatement("update api_key set last_used = date_trunc('minute', now()) where id = ?")) {
                statement.setLong(1, keyId);
                statement.executeUpdate();
            } catch (java.sql.SQLException | RuntimeException e) {
                recorded.remove(keyId);
                LOG.debugf("Last use of API key %d not recorded: %s", keyId, e.toString());
            }
        });
    }

    @PreDestroy
    void stop() {
        writer.shutdown();
    }
}
