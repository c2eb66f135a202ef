package dev.customersessions;

import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Business settings of the service, under the prefix {@code customer-sessions}. */
@ConfigMapping(prefix = "customer-sessions")
public interface CustomerSessionsConfig {

    /** The secret of {@code Authorization: ManagementKey-v1 <key>}; env CUSTOMER_SESSIONS_MANAGEMENT_KEY. */
    String managementKey();

    /** Page size of {@code customerSessions} when {@code first} is not given. */
    @WithDefault("20")
    int defaultPageSize();

    /** The largest page {@code customerSessions} serves; a larger {@code first} is capped to it. */
    @WithDefault("100")
    int maxPageSize();

    /** Dev mode only: the plain secret API key of the demo application created at start-up. */
    Optional<String> devApiKey();

    /** Dev mode only: the plain publishable API key of the demo application (the example storefront's). */
    Optional<String> devPublishableKey();

    /** Request budgets per key and per client address (token buckets, per instance). */
    RateLimits rateLimits();

    /**
     * Token buckets: each request is charged its cost (computed before it runs) from the buckets that apply to it; a
     * bucket holds at most {@code maximum} points and regains {@code restore-rate} points a second.
     */
    interface RateLimits {
        /** Whether requests are charged at all. */
        @WithDefault("true")
        boolean enabled();

        /** Each secret or restricted key's bucket. */
        Bucket secretKey();

        /** Each publishable key's bucket (all its pages together). */
        Bucket publishableKey();

        /** Each client address's bucket, for publishable keys and for requests without a valid key. */
        Bucket clientAddress();

        /** The most buckets kept per instance; idle full buckets are dropped first. */
        @WithDefault("100000")
        int maxBuckets();
    }

    /** One kind of bucket; the defaults of publishable keys and client addresses are in application.properties. */
    interface Bucket {
        /** The most points the bucket holds (a full bucket's burst). */
        @WithDefault("1000")
        @Min(1)
        int maximum();

        /** The points a second it regains. */
        @WithDefault("100")
        @Min(1)
        int restoreRate();
    }

    /**
     * Whether GraphQL introspection ({@code __schema}, {@code __type}) is answered and the SDL is served at
     * {@code /graphql/schema.graphql}. On in dev mode and tests; production turns it off (application.properties),
     * and CUSTOMER_SESSIONS_INTROSPECTION=true turns it on there, on the JVM and in the native image alike: it is
     * read when the engine is built, on the first request, not when the schema is built.
     */
    @WithDefault("true")
    boolean introspection();

    /** The longest the readiness check waits for the database's answer; then it reports DOWN. */
    @WithDefault("1.5S")
    Duration readinessTimeout();

    /** Mutations sent with an Idempotency-Key header. */
    Idempotency idempotency();

    interface Idempotency {
        /** How long a key's first answer is kept and replayed; an older key counts as new. */
        @WithDefault("24H")
        Duration retention();

        /** How often expired keys are removed (a Quarkus scheduler interval such as {@code 1h} or {@code 30m}). */
        @WithDefault("1h")
        String cleanupInterval();
    }

    /** Deleting sessions past their application's retention, and erasing a customer's data (docs/retention.md). */
    Retention retention();

    interface Retention {
        /**
         * How often every instance looks for sessions past their retention (a Quarkus scheduler interval such as
         * {@code 1h} or {@code 30m}; {@code off} switches the job off on this instance).
         */
        @WithDefault("1h")
        String interval();

        /**
         * Sessions deleted (by the job) or erased (by eraseCustomerData) per transaction: each batch is one short
         * transaction, so that no lock is held long and instances share the work.
         */
        @WithDefault("200")
        @Min(1)
        int batchSize();

        /** How long one eraseCustomerData request works through batches before it answers {@code complete: false}. */
        @WithDefault("3S")
        Duration erasureTimeBudget();
    }

    /** Change events: the outbox, how instances follow it, and subscriptions (docs/events.md). */
    Events events();

    interface Events {
        /**
         * How often each instance reads the outbox for new events (its subscribers' wake-up): the most an event waits
         * after its commit before an instance sees it, plus one read.
         */
        @WithDefault("100MS")
        Duration pollInterval();

        /** The most events one read of the outbox takes; a full batch is followed by the next read at once. */
        @WithDefault("1000")
        @Min(1)
        int batchSize();

        /**
         * How long events are kept in the outbox: a subscriber to an application's sessions may resume from an event
         * this old; an older one is told to re-read.
         */
        @WithDefault("24H")
        Duration retention();

        /** Subscriptions over WebSocket (graphql-transport-ws). */
        Subscriptions subscriptions();

        interface Subscriptions {
            /** The most subscriptions one connection holds at once; one more is refused with an error. */
            @WithDefault("10")
            @Min(1)
            int perConnection();

            /** The most subscriptions one API key holds at once across this instance's connections. */
            @WithDefault("1000")
            @Min(1)
            int perKey();

            /** The most WebSocket connections this instance holds at once; more are refused (HTTP 503) at the upgrade. */
            @WithDefault("5000")
            @Min(1)
            int maxConnections();

            /** How long a new connection may take to send connection_init; then it is closed with 4408. */
            @WithDefault("5S")
            Duration initTimeout();

            /**
             * How long a connection may stay silent (no message, no pong) before it is closed; the service pings at a
             * third of it.
             */
            @WithDefault("60S")
            Duration idleTimeout();

            /**
             * The most bytes waiting to be sent to one connection; a client that reads slower than its events arrive
             * is closed (1013, try again later) rather than buffered without bound.
             */
            @WithDefault("1048576")
            @Min(1024)
            int sendBufferBytes();
        }
    }

    /** What the service's metrics tell apart (docs/observability.md). */
    Metrics metrics();

    interface Metrics {
        /**
         * Operation names (chosen by clients) that the request metric tells apart on this instance: the first this many
         * distinct names it sees; later ones are counted as {@code other}, so that no client can multiply the series.
         */
        @WithDefault("200")
        @Min(1)
        int operationNames();
    }

    /** Signed webhooks of session change events: the fan-out, the delivery worker and its limits (docs/webhooks.md). */
    Webhooks webhooks();

    interface Webhooks {
        /**
         * Whether this instance runs the fan-out and the delivery worker. Every instance may: they share the work through
         * the database. Off, endpoints can still be managed; their deliveries wait for an instance that runs them.
         */
        @WithDefault("true")
        boolean enabled();

        /** How often this instance turns new events of the outbox into deliveries (at once again after a full batch). */
        @WithDefault("250MS")
        Duration fanOutInterval();

        /** Events one fan-out transaction takes from the outbox. */
        @WithDefault("100")
        @Min(1)
        int fanOutBatchSize();

        /** How often this instance looks for due deliveries when it found none (at once again after it found some). */
        @WithDefault("250MS")
        Duration deliveryInterval();

        /** Deliveries this instance attempts at once (each holds a connection to its endpoint for up to timeout). */
        @WithDefault("16")
        @Min(1)
        int concurrency();

        /** The longest a connection to an endpoint may take to open. */
        @WithDefault("5S")
        Duration connectTimeout();

        /**
         * The longest one attempt may take in all (resolving, connecting, sending, the answer's status and up to 64 KiB
         * of its body); the attempt's lease on the delivery is this plus 5 seconds.
         */
        @WithDefault("10S")
        Duration timeout();

        /** Attempts of a delivery before it is marked FAILED (a redelivery starts the count again). */
        @WithDefault("8")
        @Min(1)
        int maxAttempts();

        /**
         * The wait before the first retry; each further retry waits twice as long as the one before (at most
         * backoff-max), each wait varied by up to a quarter either way. With 2 minutes and 8 attempts the last is made
         * about 4 hours after the first.
         */
        @WithDefault("2M")
        Duration backoffBase();

        /** The longest wait between two attempts. */
        @WithDefault("2H")
        Duration backoffMax();

        /**
         * The largest body of a delivery: a session whose JSON would make it larger is left out of it ({@code session}
         * null, {@code sessionOmitted} true). A 1000-item cart with an attribute on every item takes about 430 KB.
         */
        @WithDefault("1048576")
        @Min(65536)
        int maxBodyBytes();

        /**
         * Whether endpoints may be and deliveries may reach loopback, private, link-local, unspecified and multicast
         * addresses. Off by default, so that nobody who may register an endpoint reaches the service's own network.
         */
        @WithDefault("false")
        boolean allowPrivateAddresses();

        /** How long delivered and failed deliveries (and their attempts) are kept in the delivery log. */
        @WithDefault("168H")
        Duration retention();
    }

    /** Caches of API keys and application settings, evicted on every replica by PostgreSQL LISTEN/NOTIFY. */
    Cache cache();

    interface Cache {
        /**
         * Whether API keys and application settings are cached. Behind a pooler in transaction mode they are cached
         * only with {@code customer-sessions.database.listen-url} (LISTEN does not work through such a pooler).
         */
        @WithDefault("true")
        boolean enabled();

        /** The longest an entry is kept, even without an eviction (a safety net; evictions arrive within milliseconds). */
        @WithDefault("10S")
        Duration maxAge();
    }

    /** How long a request may wait on the database (common.DatabaseSessions), and what stands between. */
    Database database();

    /** Time limits on the database, in PostgreSQL's notation for lock and statement ({@code 2s}, {@code 500ms}). */
    interface Database {
        /**
         * What the JDBC URL reaches: PostgreSQL itself ({@code none}), or a connection pooler such as PgBouncer in
         * {@code session} or {@code transaction} mode (docs/pooler.md).
         */
        @WithDefault("none")
        Pooler pooler();

        /**
         * A JDBC URL that reaches PostgreSQL itself, not through the pooler, for the one connection per instance that
         * listens for cache evictions (LISTEN); same user and password. Needed for the caches in transaction mode.
         */
        Optional<String> listenUrl();

        /** The longest wait for a row lock held by another writer; then BUSY. */
        @WithDefault("2s")
        String lockTimeout();

        /** The longest a statement may run; then BUSY. Also the longest a transaction may sit idle. */
        @WithDefault("10s")
        String statementTimeout();

        /** The longest wait for a free connection of the pool (ISO-8601 or {@code 2S}); then BUSY. */
        @WithDefault("2S")
        String acquisitionTimeout();

        /**
         * Seconds the driver waits for any answer of the database, which bounds requests when the database stops
         * answering at all. Raise it for a migration whose statements run longer (such as an index build).
         */
        @WithDefault("20")
        int socketTimeout();
    }

    /** What stands between the service and PostgreSQL. */
    enum Pooler {
        /** Nothing: every connection of the pool is a PostgreSQL session of its own. */
        NONE,
        /** A pooler that gives each client connection one server session for as long as it is open. */
        SESSION,
        /** A pooler that gives a client a server session for one transaction only (PgBouncer's transaction mode). */
        TRANSACTION
    }
}
