package dev.customersessions.common;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

/**
 * The log of failures that come in bursts: when the database switches over, every request in flight and every pooled
 * connection fails the same way at once. One line per kind of failure (such as {@code UNAVAILABLE 57P01}) is written
 * per {@link #WINDOW_NANOS quiet period}, without a stack trace; the failures of that kind in between are counted,
 * and the next line of the kind tells how many there were.
 */
public final class FailureLog {

    /** After a line of a kind, further failures of the kind are only counted for this long. */
    static final long WINDOW_NANOS = 10_000_000_000L;

    /** The kinds remembered at most. */
    static final int MAX_KINDS = 1000;

    private static final Map<String, Window> WINDOWS = new ConcurrentHashMap<>();

    private FailureLog() {
    }

    private static final class Window {
        volatile long startedNanos;
        final AtomicLong unlogged = new AtomicLong();

        Window(long startedNanos) {
            this.startedNanos = startedNanos;
        }
    }

    /** Writes the line at WARN if it is the first of its kind in the window, else counts it. */
    public static void warn(Logger log, String kind, String line) {
        String suffix = admit(kind);
        if (suffix != null) {
            log.warn(line + suffix);
        }
    }

    /**
     * Whether a line of this kind is to be written now: null when it is only counted; else what to add to it (the count
     * of those not written since the last one, or nothing).
     */
    static String admit(String kind) {
        long now = System.nanoTime();
        if (WINDOWS.size() > MAX_KINDS) {
            WINDOWS.clear(); // a bound on a map keyed by messages; at worst a line repeats once
        }
        Window window = WINDOWS.putIfAbsent(kind, new Window(now));
        if (window == null) {
            return "";
        }
        synchronized (window) {
            if (now - window.startedNanos < WINDOW_NANOS) {
                window.unlogged.incrementAndGet();
                return null;
            }
            window.startedNanos = now;
        }
        long missed = window.unlogged.getAndSet(0);
        return missed == 0 ? "" : " (and " + missed + " more of the kind " + kind + " in the preceding quiet period, not logged)";
    }

    /** The message of the failure's deepest cause (what the database or the driver said), with its class's simple name. */
    public static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
