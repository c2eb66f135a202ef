package dev.customersessions.webhooks;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.webhooks.WebhookAddresses.AddressRefusedException;
import dev.customersessions.webhooks.WebhookAddresses.Target;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Makes one attempt of a delivery: resolves the endpoint's host, refuses it unless every address is one webhooks may
 * reach ({@link WebhookAddresses}), and POSTs the signed body over Vert.x's HTTP client to the address it checked (the
 * request's host stays the URL's, for the Host header, TLS's server name and certificate check), so that a DNS answer
 * that changes between the check and the connection cannot send it elsewhere. Bounded: the connection within
 * connect-timeout, the whole attempt, DNS lookup included, within timeout (so within the delivery's lease: an attempt
 * that outlasted it could be made a second time by another instance), at most {@value #MAX_RESPONSE_BYTES} bytes of the
 * answer read.
 */
@ApplicationScoped
public class WebhookSender {

    /** The most bytes of an answer's body read (and dropped); a longer answer's connection is closed. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;

    @Inject
    Vertx vertx;

    @Inject
    CustomerSessionsConfig config;

    private volatile HttpClient client;

    /** Finds a host's addresses and checks them ({@link WebhookAddresses#resolve}). */
    @FunctionalInterface
    interface Lookup {
        List<InetAddress> addresses(String host, boolean allowPrivate) throws UnknownHostException, AddressRefusedException, InterruptedException;
    }

    /** How hosts are looked up: the JDK's resolver, which waits as long as the system's does; replaced by a test only. */
    volatile Lookup lookup = WebhookAddresses::resolve;

    /**
     * Runs the lookups, so that an attempt waits for one no longer than its timeout: as many threads as attempts run at
     * once; a lookup still hanging when its attempt gave up holds its thread until the system's resolver gives up.
     */
    private volatile ExecutorService lookups;

    /** How an attempt ended: the answer's status code, or the error that kept it from having one. */
    public record Result(Integer statusCode, String error) {
        public boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    /** Attempts the delivery {@code webhookId} of {@code body} to {@code url}, signed with each of the secrets. */
    public Result send(String url, String webhookId, String body, List<String> secrets) {
        String[] problem = new String[1];
        Target target = WebhookAddresses.parse(url, problem);
        if (target == null) {
            return new Result(null, problem[0]);
        }
        long timeout = config.webhooks().timeout().toMillis();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        boolean allowPrivate = config.webhooks().allowPrivateAddresses();
        Lookup resolver = lookup;
        Future<List<InetAddress>> found = lookups().submit(() -> resolver.addresses(target.host(), allowPrivate));
        InetAddress address;
        try {
            address = found.get(timeout, TimeUnit.MILLISECONDS).get(0);
        } catch (TimeoutException e) {
            found.cancel(true);
            return new Result(null, "no address for the host " + target.host() + " within " + describe(config.webhooks().timeout())
                    + " (DNS lookup)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException) {
                return new Result(null, "the host " + target.host() + " has no address");
            }
            if (e.getCause() instanceof AddressRefusedException) {
                return new Result(null, e.getCause().getMessage());
            }
            return new Result(null, describe(e.getCause()));
        } catch (InterruptedException e) {
            found.cancel(true);
            Thread.currentThread().interrupt();
            return new Result(null, "the attempt was stopped: the instance shut down");
        }
        // What the lookup took is taken from the request's time: the attempt as a whole stays within the timeout.
        timeout = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        long timestamp = Instant.now().getEpochSecond();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(target.host()).setPort(target.port())
                .setSsl(target.https()).setURI(target.pathAndQuery())
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, target.port())))
                .setConnectTimeout(config.webhooks().connectTimeout().toMillis()).setIdleTimeout(timeout)
                .putHeader("content-type", "application/json").putHeader("user-agent", "customer-sessions-webhooks/1")
                .putHeader("webhook-id", webhookId).putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", WebhookSignature.header(secrets, webhookId, timestamp, body));
        CompletableFuture<Integer> status = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        client().request(options).onSuccess(request -> {
            sent.set(request);
            request.send(Buffer.buffer(body)).onSuccess(response -> readBounded(response, status)).onFailure(status::completeExceptionally);
        }).onFailure(status::completeExceptionally);
        try {
            return new Result(status.get(timeout, TimeUnit.MILLISECONDS), null);
        } catch (TimeoutException e) {
            HttpClientRequest request = sent.get();
            if (request != null) {
                request.reset();
            }
            return new Result(null, "no answer within " + describe(config.webhooks().timeout()));
        } catch (ExecutionException e) {
            return new Result(null, describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(null, "the attempt was stopped: the instance shut down");
        }
    }

    /** The status, once the answer's body has ended or {@value #MAX_RESPONSE_BYTES} bytes of it were read. */
    private static void readBounded(HttpClientResponse response, CompletableFuture<Integer> status) {
        AtomicLong read = new AtomicLong();
        response.handler(chunk -> {
            if (read.addAndGet(chunk.length()) > MAX_RESPONSE_BYTES && status.complete(response.statusCode())) {
                response.request().reset();
            }
        });
        response.exceptionHandler(e -> status.complete(response.statusCode()));
        response.endHandler(end -> status.complete(response.statusCode()));
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.net.ConnectException || e instanceof io.netty.channel.ConnectTimeoutException) {
            message = "cannot connect: " + message;
        } else if (e instanceof javax.net.ssl.SSLException) {
            message = "TLS failed: " + message;
        }
        return message.length() > 500 ? message.substring(0, 499) + "…" : message;
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private ExecutorService lookups() {
        ExecutorService current = lookups;
        if (current == null) {
            synchronized (this) {
                if (lookups == null) {
                    AtomicInteger threads = new AtomicInteger();
                    lookups = Executors.newFixedThreadPool(config.webhooks().concurrency(), work -> {
                        Thread thread = new Thread(work, "webhook-dns-" + threads.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
                }
                current = lookups;
            }
        }
        return current;
    }

    private HttpClient client() {
        HttpClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createHttpClient(new HttpClientOptions()
                            .setConnectTimeout((int) config.webhooks().connectTimeout().toMillis())
                            .setMaxPoolSize(config.webhooks().concurrency()).setKeepAlive(true).setVerifyHost(true)
                            .setTryUseCompression(false));
                }
                current = client;
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        HttpClient current = client;
        if (current != null) {
            current.close();
        }
        ExecutorService running = lookups;
        if (running != null) {
            running.shutdownNow();
        }
    }
}
