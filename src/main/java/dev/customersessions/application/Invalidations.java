package dev.customersessions.application;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import io.micrometer.core.instrument.MeterRegistry;
import org.postgresql.PGNotification;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.application.ApiKeyGrant;
import dev.customersessions.application.ApplicationSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The caches of what nearly every request reads (API keys, an application's settings) and their eviction on every
 * replica at once: a change publishes its key with PostgreSQL {@code NOTIFY} in its own transaction (delivered
 * when it commits, never when it rolls back), and each replica's listener, on a connection of its own that
 * {@code LISTEN}s, evicts the key. The replica that made the change also evicts it locally when its transaction
 * ends, so its own next request never sees the old value.
 *
 * <p>The caches are used only while the listener's connection is up: when it drops, they are emptied and bypassed
 * (every request reads the database, as without a cache) until it is back. Every entry also expires after
 * {@code customer-sessions.cache.max-age} in any case. The listener connects to PostgreSQL itself: behind a pooler in
 * transaction mode, where LISTEN cannot work, through {@code customer-sessions.database.listen-url}, and without it
 * there are no caches ({@code pg_notify} goes through the pooler like any statement).
 */
@ApplicationScoped
public class Invalidations {

    static final String CHANNEL = "customer_sessions_cache";
    private static final Duration MAX_RETRY = Duration.ofSeconds(1);
    /** 1 while this instance listens to invalidations (its caches are in use), else 0. */
    public static final String LISTENING_METRIC = "customer.sessions.cache.listening";
    /** Evictions heard from any replica (this one's own included), by cache. */
    public static final String INVALIDATIONS_METRIC = "customer.sessions.cache.invalidations";
    private static final Logger LOG = Logger.getLogger(Invalidations.class);

    private final SharedCache<ApiKeyGrant> apiKeys = new SharedCache<>("api-key", 100_000);
    private final SharedCache<ApplicationSettings> settings = new SharedCache<>("application", 10_000);
    private final List<SharedCache<?>> caches = List.of(apiKeys, settings);
    private final List<Consumer<String>> apiKeyListeners = new CopyOnWriteArrayList<>();

    @Inject
    CustomerSessionsConfig config;

    @Inject
    Config allConfig;

    @Inject
    MeterRegistry metrics;

    @Inject
    EntityManager entityManager;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    Optional<String> jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private volatile Thread listener;
    private volatile boolean running;
    private volatile Connection connection;

    /** Active API keys by the SHA-256 of the key: what they grant. */
    public SharedCache<ApiKeyGrant> apiKeys() {
        return apiKeys;
    }

    /** Application settings (flattening, definitions) by application id. */
    public SharedCache<ApplicationSettings> settings() {
        return settings;
    }

    /**
     * Evicts the key from the cache on every replica once the current transaction commits (and locally whichever way
     * it ends). Outside a transaction, at once.
     */
    public void publish(SharedCache<?> cache, String key) {
        entityManager.createNativeQuery("select pg_notify(:channel, :payload)")
                .setParameter("channel", CHANNEL).setParameter("payload", cache.name() + ":" + key).getSingleResult();
        if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    cache.evict(key);
                    if (cache == apiKeys && status == Status.STATUS_COMMITTED) {
                        apiKeyChanged(key);
                    }
                }
            });
        }
        cache.evict(key);
    }

    void start(@Observes StartupEvent started) {
        caches.forEach(cache -> cache.configure(config.cache().maxAge().toNanos()));
        // 1 while the listener is connected and the caches are used; 0 while they are bypassed (or turned off)
        metrics.gauge(LISTENING_METRIC, this, invalidations -> invalidations.connection == null ? 0 : 1);
        caches.forEach(cache -> metrics.counter(INVALIDATIONS_METRIC, "cache", cache.name()));
        if (!config.cache().enabled() || jdbcUrl.isEmpty()) {
            LOG.info("Caches of API keys and application settings are off (customer-sessions.cache.enabled=false)");
            return;
        }
        if (listenUrl().isEmpty()) {
            // LISTEN through a pooler in transaction mode listens on a server session the pooler hands to others
            // at once: the statement succeeds, and no eviction ever arrives. Without an eviction, no cache.
            LOG.info("Caches of API keys and application settings are off: customer-sessions.database.pooler=transaction "
                    + "without customer-sessions.database.listen-url (LISTEN does not work through the pooler)");
            return;
        }
        running = true;
        listener = new Thread(this::listen, "cache-invalidations");
        listener.setDaemon(true);
        listener.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        Thread thread = listener;
        if (thread != null) {
            thread.interrupt();
        }
        closeQuietly(connection);
    }

    private void listen() {
        Duration retry = Duration.ofMillis(250);
        boolean reported = false;
        while (running) {
            try (Connection c = connect()) {
                try (Statement statement = c.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection notifications = c.unwrap(PGConnection.class);
                connection = c;
                caches.forEach(cache -> cache.usable(true));
                if (reported) {
                    LOG.info("Cache invalidations are listened to again; API keys and application settings are cached");
                    reported = false;
                }
                retry = Duration.ofMillis(250);
                long checked = System.nanoTime();
                while (running) {
                    PGNotification[] arrived = notifications.getNotifications(1000);
                    if (arrived != null) {
                        for (PGNotification notification : arrived) {
                            dispatch(notification.getParameter());
                        }
                    }
                    if (System.nanoTime() - checked > Duration.ofSeconds(5).toNanos()) {
                        try (Statement statement = c.createStatement()) {
                            statement.execute("select pg_backend_pid()"); // a connection that died silently fails here
                        }
                        checked = System.nanoTime();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running && !reported) {
                    LOG.warnf("Cache invalidations cannot be listened to (%s); every request reads API keys and application "
                            + "settings from the database until the connection is back", e.getMessage());
                    reported = true;
                }
            } finally {
                connection = null;
                caches.forEach(cache -> cache.usable(false));
            }
            sleep(retry);
            // Up to once a second: after a switchover the caches come back within a second of the new primary.
            retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        for (String name : allConfig.getPropertyNames()) {
            String prefix = "quarkus.datasource.jdbc.additional-jdbc-properties.";
            if (name.startsWith(prefix)) {
                allConfig.getOptionalValue(name, String.class).ifPresent(value -> properties.setProperty(name.substring(prefix.length()), value));
            }
        }
        username.ifPresent(user -> properties.setProperty("user", user));
        password.ifPresent(secret -> properties.setProperty("password", secret));
        properties.setProperty("ApplicationName", "customer-sessions cache invalidations");
        properties.setProperty("tcpKeepAlive", "true");
        Connection c = new org.postgresql.Driver().connect(listenUrl().orElseThrow(), properties);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL");
        }
        c.setAutoCommit(true);
        return c;
    }

    /**
     * Where to LISTEN: PostgreSQL itself. The listen URL when one is set; else the pool's URL, unless that reaches
     * a pooler in transaction mode (none then).
     */
    private Optional<String> listenUrl() {
        Optional<String> direct = config.database().listenUrl();
        if (direct.isPresent()) {
            return direct;
        }
        return config.database().pooler() == CustomerSessionsConfig.Pooler.TRANSACTION ? Optional.empty() : jdbcUrl;
    }

    private void dispatch(String payload) {
        int colon = payload.indexOf(':');
        if (colon < 0) {
            return;
        }
        String name = payload.substring(0, colon);
        String key = payload.substring(colon + 1);
        for (SharedCache<?> cache : caches) {
            if (cache.name().equals(name)) {
                metrics.counter(INVALIDATIONS_METRIC, "cache", name).increment();
                cache.evict(key);
            }
        }
        if (name.equals(apiKeys.name())) {
            apiKeyChanged(key);
        }
    }

    /**
     * Calls the listener with the hash of every API key changed (revoked, for one) on any replica, as soon as this
     * replica hears of it: for what holds a key longer than a request (a WebSocket connection).
     */
    public void onApiKeyChanged(Consumer<String> listener) {
        apiKeyListeners.add(listener);
    }

    private void apiKeyChanged(String hash) {
        for (Consumer<String> listener : apiKeyListeners) {
            try {
                listener.accept(hash);
            } catch (RuntimeException e) {
                LOG.warn("A listener to API key changes failed", e);
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }
}
