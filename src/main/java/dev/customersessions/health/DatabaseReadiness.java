package dev.customersessions.health;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.customersessions.CustomerSessionsConfig;
import io.agroal.api.AgroalDataSource;

/**
 * Readiness: the database answers {@code select 1}, within a bounded time. The datasource's own check waits as long
 * as a frozen database keeps a connection hanging (20 s and more, seen), beyond any probe timeout; this one answers
 * DOWN after {@code customer-sessions.readiness-timeout} however the database fails. One check runs at a time: while
 * one hangs, further probes answer DOWN at once instead of piling up threads.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    static final String NAME = "Database";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CustomerSessionsConfig config;

    private final ExecutorService checker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "database-readiness");
        thread.setDaemon(true);
        return thread;
    });

    private Future<Void> running;

    @Override
    public HealthCheckResponse call() {
        Future<Void> check = start();
        Duration timeout = config.readinessTimeout();
        try {
            check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return HealthCheckResponse.up(NAME);
        } catch (TimeoutException e) {
            return down("no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return down(e.getCause() == null ? "failed" : e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted");
        }
    }

    private synchronized Future<Void> start() {
        if (running == null || running.isDone()) {
            running = checker.submit(() -> {
                try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("select 1");
                }
                return null;
            });
        }
        return running;
    }

    private static HealthCheckResponse down(String why) {
        return HealthCheckResponse.named(NAME).down().withData("reason", why).build();
    }

    @PreDestroy
    void stop() {
        checker.shutdownNow();
    }
}
