package dev.customersessions.webhooks;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

/**
 * A daemon thread that runs a step over and over: at once again while the step says more work waits, else after the
 * interval. A step that fails is tried again after the interval; each kind of failure is logged once, not once a run.
 */
final class PollingThread {

    private final String name;
    private final Duration interval;
    private final BooleanSupplier step;
    private final Logger log;
    private volatile Thread thread;

    PollingThread(String name, Duration interval, BooleanSupplier step, Logger log) {
        this.name = name;
        this.interval = interval;
        this.step = step;
        this.log = log;
    }

    synchronized void start() {
        if (thread == null) {
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Stops the thread and waits up to {@code wait} for the step it is running to end. */
    synchronized void stop(Duration wait) {
        Thread running = thread;
        thread = null;
        if (running != null) {
            running.interrupt();
            try {
                running.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        String lastFailure = null;
        while (thread == Thread.currentThread()) {
            boolean more = false;
            try {
                more = step.getAsBoolean();
                if (lastFailure != null) {
                    log.infof("%s works again", name);
                    lastFailure = null;
                }
            } catch (RuntimeException e) {
                if (thread != Thread.currentThread()) {
                    return; // stopped: a failure of the shutdown, not of the work
                }
                String failure = e.getClass().getName();
                if (!failure.equals(lastFailure)) {
                    log.warnf(e, "%s failed; trying again every %s", name, interval);
                    lastFailure = failure;
                }
            }
            if (!more) {
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
