package dev.customersessions.webhooks;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.customersessions.common.Sql;
import dev.customersessions.session.SessionEventKind;
import io.agroal.api.AgroalDataSource;

/**
 * Webhook endpoints in plain SQL ({@code webhook_endpoint}, migration V10). An endpoint is named by its id, within one
 * application ({@code scope}) or, for management, within all (scope null).
 */
@ApplicationScoped
public class WebhookEndpointRepository {

    private static final String COLUMNS = "application_id, id, url, event_kinds, enabled, created, updated";

    @Inject
    AgroalDataSource dataSource;

    public WebhookEndpoint insert(long applicationId, String url, List<SessionEventKind> kinds, boolean enabled, String secret,
            OffsetDateTime now) {
        return Sql.query(dataSource, "insert into webhook_endpoint (application_id, url, event_kinds, secret, enabled, created, updated) "
                + "values (?, ?, ?, ?, ?, ?, ?) returning " + COLUMNS, statement -> {
                    statement.setLong(1, applicationId);
                    statement.setString(2, url);
                    statement.setArray(3, kinds(statement, kinds));
                    statement.setString(4, secret);
                    statement.setBoolean(5, enabled);
                    statement.setObject(6, now);
                    statement.setObject(7, now);
                }, rows -> {
                    rows.next();
                    return endpoint(rows);
                });
    }

    /** How many endpoints the application has. */
    public int count(long applicationId) {
        return Sql.query(dataSource, "select count(*) as n from webhook_endpoint where application_id = ?",
                statement -> statement.setLong(1, applicationId), rows -> {
                    rows.next();
                    return rows.getInt("n");
                });
    }

    /** The endpoint, locked until the transaction ends; empty when there is none with the id in the scope. */
    public Optional<WebhookEndpoint> lock(Long scope, long id) {
        return find(scope, id, " for update");
    }

    /** The endpoint, read; empty when there is none with the id in the scope. */
    public Optional<WebhookEndpoint> find(Long scope, long id) {
        return find(scope, id, "");
    }

    private Optional<WebhookEndpoint> find(Long scope, long id, String locking) {
        return Sql.query(dataSource, "select " + COLUMNS + " from webhook_endpoint where id = ?" + (scope == null ? "" : " and application_id = ?")
                + locking, statement -> {
                    statement.setLong(1, id);
                    if (scope != null) {
                        statement.setLong(2, scope);
                    }
                }, rows -> rows.next() ? Optional.of(endpoint(rows)) : Optional.empty());
    }

    public WebhookEndpoint update(WebhookEndpoint endpoint) {
        return Sql.query(dataSource, "update webhook_endpoint set url = ?, event_kinds = ?, enabled = ?, updated = ? "
                + "where application_id = ? and id = ? returning " + COLUMNS, statement -> {
                    statement.setString(1, endpoint.url());
                    statement.setArray(2, kinds(statement, endpoint.eventKinds()));
                    statement.setBoolean(3, endpoint.enabled());
                    statement.setObject(4, endpoint.updated());
                    statement.setLong(5, endpoint.applicationId());
                    statement.setLong(6, endpoint.id());
                }, rows -> {
                    rows.next();
                    return endpoint(rows);
                });
    }

    /** Gives the endpoint a new secret; the current one keeps signing too until {@code previousExpires}. */
    public WebhookEndpoint rotate(WebhookEndpoint endpoint, String secret, OffsetDateTime now, OffsetDateTime previousExpires) {
        return Sql.query(dataSource, "update webhook_endpoint set previous_secret = secret, previous_secret_expires = ?, secret = ?, "
                + "updated = ? where application_id = ? and id = ? returning " + COLUMNS, statement -> {
                    statement.setObject(1, previousExpires);
                    statement.setString(2, secret);
                    statement.setObject(3, now);
                    statement.setLong(4, endpoint.applicationId());
                    statement.setLong(5, endpoint.id());
                }, rows -> {
                    rows.next();
                    return endpoint(rows);
                });
    }

    /** Deletes the endpoint with its deliveries and their attempts. */
    public void delete(WebhookEndpoint endpoint) {
        Sql.update(dataSource, "delete from webhook_endpoint where application_id = ? and id = ?", statement -> {
            statement.setLong(1, endpoint.applicationId());
            statement.setLong(2, endpoint.id());
        });
    }

    /** Up to {@code limit} endpoints of the application after the one with id {@code afterId} (null: from the first), by id. */
    public List<WebhookEndpoint> page(long applicationId, Long afterId, int limit) {
        return Sql.query(dataSource, "select " + COLUMNS + " from webhook_endpoint where application_id = ? and id > ? order by id limit ?",
                statement -> {
                    statement.setLong(1, applicationId);
                    statement.setLong(2, afterId == null ? 0 : afterId);
                    statement.setInt(3, limit);
                }, rows -> {
                    List<WebhookEndpoint> page = new ArrayList<>();
                    while (rows.next()) {
                        page.add(endpoint(rows));
                    }
                    return page;
                });
    }

    /** The enabled endpoints of the given applications, by application. */
    public Map<Long, List<WebhookEndpoint>> enabledOf(Collection<Long> applicationIds) {
        return Sql.query(dataSource, "select " + COLUMNS + " from webhook_endpoint where enabled and application_id = any(?)", statement ->
                statement.setArray(1, statement.getConnection().createArrayOf("bigint", applicationIds.toArray())), rows -> {
                    Map<Long, List<WebhookEndpoint>> enabled = new HashMap<>();
                    while (rows.next()) {
                        WebhookEndpoint endpoint = endpoint(rows);
                        enabled.computeIfAbsent(endpoint.applicationId(), a -> new ArrayList<>()).add(endpoint);
                    }
                    return enabled;
                });
    }

    private static Array kinds(PreparedStatement statement, List<SessionEventKind> kinds) throws SQLException {
        return statement.getConnection().createArrayOf("varchar", kinds.stream().map(Enum::name).toArray());
    }

    private static WebhookEndpoint endpoint(ResultSet row) throws SQLException {
        String[] kinds = (String[]) row.getArray("event_kinds").getArray();
        return new WebhookEndpoint(row.getLong("application_id"), row.getLong("id"), row.getString("url"),
                Arrays.stream(kinds).map(SessionEventKind::valueOf).toList(), row.getBoolean("enabled"),
                row.getObject("created", OffsetDateTime.class), row.getObject("updated", OffsetDateTime.class));
    }
}
