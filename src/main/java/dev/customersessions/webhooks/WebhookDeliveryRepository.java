package dev.customersessions.webhooks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.customersessions.common.Sql;
import dev.customersessions.events.EventPosition;
import dev.customersessions.events.StoredEvent;
import dev.customersessions.session.SessionEventKind;
import io.agroal.api.AgroalDataSource;

/**
 * Webhook deliveries in plain SQL ({@code webhook_delivery}, {@code webhook_delivery_attempt}, and the fan-out's cursor
 * {@code webhook_fanout_cursor}, migration V10): queued by the fan-out, claimed and finished by the delivery worker,
 * listed and queued again by the management API.
 */
@ApplicationScoped
public class WebhookDeliveryRepository {

    private static final String COLUMNS = "d.application_id, d.id, d.endpoint_id, d.event_id, d.integration_id, d.kind, d.sequence, "
            + "d.status, d.attempts, d.next_attempt, d.last_attempt, d.last_status_code, d.last_error, d.delivered, d.created";

    @Inject
    AgroalDataSource dataSource;

    // ---- The fan-out ------------------------------------------------------------------------------------------------

    /**
     * Where the fan-out goes on, with the cursor row locked until the transaction ends; null when another instance
     * holds it (it is fanning out now).
     */
    public EventPosition lockCursor() {
        return Sql.query(dataSource, "select tx::text as tx, event_id from webhook_fanout_cursor where id = 1 for update skip locked",
                statement -> {
                }, rows -> rows.next() ? new EventPosition(Long.parseUnsignedLong(rows.getString("tx")), rows.getLong("event_id")) : null);
    }

    public void moveCursor(EventPosition to) {
        Sql.update(dataSource, "update webhook_fanout_cursor set tx = ?::text::xid8, event_id = ? where id = 1", statement -> {
            statement.setString(1, Long.toUnsignedString(to.tx()));
            statement.setLong(2, to.id());
        });
    }

    /** An event to queue for one of its application's endpoints, with its body but for the delivery's id. */
    public record Queued(StoredEvent event, long endpointId, String bodyAfterId) {
    }

    /**
     * Queues the deliveries, due now (the database's clock, as the claims read it), each with its body:
     * {@code {"id":"<its id>",} followed by the rest. An event already queued for the endpoint is not queued again. One
     * round trip; how many were queued.
     */
    public int queue(List<Queued> deliveries) {
        if (deliveries.isEmpty()) {
            return 0;
        }
        String sql = """
                insert into webhook_delivery (application_id, id, endpoint_id, event_id, session_id, integration_id, kind, sequence, body,
                                              status, next_attempt, created)
                select n.application_id, n.id, n.endpoint_id, n.event_id, n.session_id, n.integration_id, n.kind, n.sequence,
                       '{"id":"' || n.id || '",' || n.rest, 'PENDING', now(), now()
                from (select ?::bigint as application_id, nextval(pg_get_serial_sequence('webhook_delivery', 'id')) as id,
                             ?::bigint as endpoint_id, ?::bigint as event_id, ?::bigint as session_id, ?::text as integration_id,
                             ?::text as kind, ?::bigint as sequence, ?::text as rest) n
                on conflict (application_id, endpoint_id, event_id) do nothing""";
        return Sql.batch(dataSource, sql, deliveries, (statement, queued) -> {
            StoredEvent event = queued.event();
            statement.setLong(1, event.applicationId());
            statement.setLong(2, queued.endpointId());
            statement.setLong(3, event.id());
            statement.setLong(4, event.sessionId());
            statement.setString(5, event.integrationId());
            statement.setString(6, event.kind().name());
            statement.setLong(7, event.version());
            statement.setString(8, queued.bodyAfterId());
        });
    }

    /**
     * Takes the session out of the bodies of the earlier deliveries of each event's session (those of a lower sequence),
     * so that the delivery log keeps no copy of what an erasure or a deletion removed. One statement.
     */
    public int forgetSessions(List<StoredEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        return Sql.update(dataSource, """
                update webhook_delivery d set body = jsonb_set(d.body::jsonb, '{session}', 'null')::text
                from unnest(?::bigint[], ?::bigint[], ?::bigint[]) as f(application_id, session_id, version)
                where d.application_id = f.application_id and d.session_id = f.session_id and d.sequence < f.version
                  and d.body::jsonb -> 'session' <> 'null'::jsonb""", statement -> {
            statement.setArray(1, statement.getConnection().createArrayOf("bigint", events.stream().map(StoredEvent::applicationId).toArray()));
            statement.setArray(2, statement.getConnection().createArrayOf("bigint", events.stream().map(StoredEvent::sessionId).toArray()));
            statement.setArray(3, statement.getConnection().createArrayOf("bigint", events.stream().map(StoredEvent::version).toArray()));
        });
    }

    // ---- The delivery worker ----------------------------------------------------------------------------------------

    /**
     * A delivery claimed for one attempt, with what the attempt needs: where it goes, its body, the secrets that sign it,
     * and the lease ({@code lockedUntil}) by which its outcome is recorded.
     *
     * @param queueAttempts attempts since it was queued, this one included
     */
    public record Claim(long applicationId, long id, long endpointId, String url, String body, List<String> secrets, int queueAttempts,
            OffsetDateTime lockedUntil) {
    }

    /**
     * Claims up to {@code limit} due deliveries for {@code lease}: pending, due, not leased by anyone (or their lease ran
     * out), of an enabled endpoint, and each the oldest pending delivery of its session to its endpoint. Deliveries
     * another instance is claiming at the same moment are skipped, not waited for. One statement, its own transaction.
     */
    public List<Claim> claim(int limit, Duration lease) {
        String sql = """
                with due as (
                    select d.application_id, d.id from webhook_delivery d
                    join webhook_endpoint w on w.application_id = d.application_id and w.id = d.endpoint_id and w.enabled
                    where d.status = 'PENDING' and d.next_attempt <= now() and (d.locked_until is null or d.locked_until < now())
                      and not exists (select 1 from webhook_delivery o where o.application_id = d.application_id
                                      and o.endpoint_id = d.endpoint_id and o.session_id = d.session_id and o.status = 'PENDING'
                                      and (o.sequence, o.id) < (d.sequence, d.id))
                    order by d.next_attempt limit ?
                    for update of d skip locked)
                update webhook_delivery d set locked_until = clock_timestamp() + ? * interval '1 millisecond',
                       attempts = d.attempts + 1, queue_attempts = d.queue_attempts + 1
                from due, webhook_endpoint w
                where d.application_id = due.application_id and d.id = due.id and w.application_id = d.application_id and w.id = d.endpoint_id
                returning d.application_id, d.id, d.endpoint_id, w.url, d.body, w.secret,
                          case when w.previous_secret_expires > now() then w.previous_secret end as previous_secret,
                          d.queue_attempts, d.locked_until""";
        return Sql.query(dataSource, sql, statement -> {
            statement.setInt(1, limit);
            statement.setLong(2, lease.toMillis());
        }, rows -> {
            List<Claim> claims = new ArrayList<>();
            while (rows.next()) {
                List<String> secrets = rows.getString("previous_secret") == null ? List.of(rows.getString("secret"))
                        : List.of(rows.getString("secret"), rows.getString("previous_secret"));
                claims.add(new Claim(rows.getLong("application_id"), rows.getLong("id"), rows.getLong("endpoint_id"), rows.getString("url"),
                        rows.getString("body"), secrets, rows.getInt("queue_attempts"), rows.getObject("locked_until", OffsetDateTime.class)));
            }
            return claims;
        });
    }

    /** How an attempt ended, and what becomes of its delivery. */
    public record Outcome(OffsetDateTime started, int durationMs, Integer statusCode, String error, WebhookDeliveryStatus status,
            OffsetDateTime nextAttempt) {
    }

    /**
     * Records the attempt in the delivery log and moves the delivery on, if the claim's lease still holds it (else
     * another instance has taken it over, and this outcome is dropped). One statement; whether it was recorded.
     */
    public boolean finish(Claim claim, Outcome outcome) {
        String sql = """
                with done as (
                    update webhook_delivery set status = ?, next_attempt = ?, locked_until = null, last_attempt = ?, last_status_code = ?,
                           last_error = ?, delivered = case when ? = 'DELIVERED' then clock_timestamp() end
                    where application_id = ? and id = ? and locked_until = ?
                    returning application_id, id)
                insert into webhook_delivery_attempt (application_id, delivery_id, started, duration_ms, status_code, error)
                select application_id, id, ?, ?, ?, ? from done""";
        return Sql.update(dataSource, sql, statement -> {
            statement.setString(1, outcome.status().name());
            statement.setObject(2, outcome.nextAttempt());
            statement.setObject(3, outcome.started());
            statement.setObject(4, outcome.statusCode());
            statement.setString(5, outcome.error());
            statement.setString(6, outcome.status().name());
            statement.setLong(7, claim.applicationId());
            statement.setLong(8, claim.id());
            statement.setObject(9, claim.lockedUntil());
            statement.setObject(10, outcome.started());
            statement.setInt(11, outcome.durationMs());
            statement.setObject(12, outcome.statusCode());
            statement.setString(13, outcome.error());
        }) == 1;
    }

    /** Deletes up to {@code limit} delivered or failed deliveries created before {@code before}; how many. */
    public int prune(OffsetDateTime before, int limit) {
        return Sql.update(dataSource, """
                with old as (select application_id, id from webhook_delivery where status <> 'PENDING' and created < ? limit ?)
                delete from webhook_delivery d using old where d.application_id = old.application_id and d.id = old.id""", statement -> {
            statement.setObject(1, before);
            statement.setInt(2, limit);
        });
    }

    // ---- The delivery log -------------------------------------------------------------------------------------------

    /**
     * Up to {@code limit} deliveries of the endpoint, newest first, before the one with id {@code beforeId} (null: from
     * the newest), of one status or (null) all.
     */
    public List<WebhookDelivery> page(WebhookEndpoint endpoint, WebhookDeliveryStatus status, Long beforeId, int limit) {
        return Sql.query(dataSource, "select " + COLUMNS + " from webhook_delivery d where d.application_id = ? and d.endpoint_id = ? "
                + "and d.id < ?" + (status == null ? "" : " and d.status = ?") + " order by d.id desc limit ?", statement -> {
                    int at = 1;
                    statement.setLong(at++, endpoint.applicationId());
                    statement.setLong(at++, endpoint.id());
                    statement.setLong(at++, beforeId == null ? Long.MAX_VALUE : beforeId);
                    if (status != null) {
                        statement.setString(at++, status.name());
                    }
                    statement.setInt(at, limit);
                }, WebhookDeliveryRepository::deliveries);
    }

    /** The newest {@code perDelivery} attempts of each of the deliveries, newest first. One statement. */
    public List<WebhookDelivery.Attempt> attemptsOf(List<WebhookDelivery> deliveries, int perDelivery) {
        return Sql.query(dataSource, """
                select a.application_id, a.delivery_id, a.id, a.started, a.duration_ms, a.status_code, a.error
                from unnest(?::bigint[], ?::bigint[]) as k(application_id, delivery_id)
                cross join lateral (select * from webhook_delivery_attempt a where a.application_id = k.application_id
                                    and a.delivery_id = k.delivery_id order by a.id desc limit ?) a
                order by a.delivery_id, a.id desc""", statement -> {
            statement.setArray(1, statement.getConnection().createArrayOf("bigint", deliveries.stream().map(WebhookDelivery::applicationId).toArray()));
            statement.setArray(2, statement.getConnection().createArrayOf("bigint", deliveries.stream().map(WebhookDelivery::id).toArray()));
            statement.setInt(3, perDelivery);
        }, rows -> {
            List<WebhookDelivery.Attempt> attempts = new ArrayList<>();
            while (rows.next()) {
                Integer statusCode = rows.getObject("status_code") == null ? null : rows.getInt("status_code");
                attempts.add(new WebhookDelivery.Attempt(rows.getLong("application_id"), rows.getLong("delivery_id"), rows.getLong("id"),
                        rows.getObject("started", OffsetDateTime.class), rows.getInt("duration_ms"), statusCode, rows.getString("error")));
            }
            return attempts;
        });
    }

    /**
     * Queues a delivered or failed delivery again, due now, with its count of attempts since queued starting again; a
     * pending one stays as it is. Empty when there is no delivery with the id in the scope (an application, or null: all).
     */
    public Optional<WebhookDelivery> redeliver(Long scope, long id) {
        String scoped = scope == null ? "" : " and d.application_id = ?";
        return Sql.query(dataSource, "with found as (select d.application_id, d.id from webhook_delivery d where d.id = ?" + scoped
                + " for update), queued as (update webhook_delivery d set status = 'PENDING', queue_attempts = 0, next_attempt = now(), "
                + "locked_until = null, delivered = null from found where d.application_id = found.application_id and d.id = found.id "
                + "and d.status <> 'PENDING' returning d.*) "
                + "select " + COLUMNS + " from queued d union all select " + COLUMNS + " from webhook_delivery d join found "
                + "on d.application_id = found.application_id and d.id = found.id where not exists (select 1 from queued)", statement -> {
                    statement.setLong(1, id);
                    if (scope != null) {
                        statement.setLong(2, scope);
                    }
                }, rows -> {
                    List<WebhookDelivery> found = deliveries(rows);
                    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
                });
    }

    private static List<WebhookDelivery> deliveries(ResultSet rows) throws SQLException {
        List<WebhookDelivery> deliveries = new ArrayList<>();
        while (rows.next()) {
            Integer statusCode = rows.getObject("last_status_code") == null ? null : rows.getInt("last_status_code");
            deliveries.add(new WebhookDelivery(rows.getLong("application_id"), rows.getLong("id"), rows.getLong("endpoint_id"),
                    rows.getLong("event_id"), rows.getString("integration_id"), SessionEventKind.valueOf(rows.getString("kind")),
                    rows.getLong("sequence"), WebhookDeliveryStatus.valueOf(rows.getString("status")), rows.getInt("attempts"),
                    rows.getObject("next_attempt", OffsetDateTime.class), rows.getObject("last_attempt", OffsetDateTime.class), statusCode,
                    rows.getString("last_error"), rows.getObject("delivered", OffsetDateTime.class),
                    rows.getObject("created", OffsetDateTime.class)));
        }
        return deliveries;
    }
}
