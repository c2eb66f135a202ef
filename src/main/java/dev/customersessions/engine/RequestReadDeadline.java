package dev.customersessions.engine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * Closes the connection of a request whose body has not arrived whole within
 * {@code customer-sessions.limits.request-read-timeout}: the idle timeout closes a silent connection, but a client
 * that trickles a byte now and then would otherwise hold its connection and buffer for as long as it likes.
 */
@ApplicationScoped
class RequestReadDeadline {

    void install(@Observes Router router, Vertx vertx, RequestLimitsConfig limits) {
        long millis = limits.requestReadTimeout().toMillis();
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            if (!context.request().isEnded()) {
                long timer = vertx.setTimer(millis, id -> {
                    if (!context.request().isEnded()) {
                        context.request().connection().close();
                    }
                });
                context.addEndHandler(done -> vertx.cancelTimer(timer));
            }
            context.next();
        });
    }
}
