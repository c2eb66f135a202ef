package dev.customersessions.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.customersessions.common.Sql;
import dev.customersessions.session.SessionEventKind;
import io.agroal.api.AgroalDataSource;

/**
 * Reads of the outbox ({@code session_event}, migration V9; the rows are written by the session repository in the
 * statement of each change). Readers follow it by {@link EventPosition}: a read takes only the events of transactions
 * that have ended, those below the oldest transaction still running ({@code pg_snapshot_xmin}), so that an event
 * committed after one with a larger id is never passed over. Each read is one statement outside any transaction.
 */
@ApplicationScoped
public class EventLog {

    @Inject
    AgroalDataSource dataSource;

    /** Events read after a position, and the position to read from next. */
    public record Batch(List<StoredEvent> events, EventPosition next) {
    }

    private static final String COLUMNS = "e.application_id, e.id, e.session_id, e.integration_id, e.version, e.kind, e.occurred, "
            + "e.tx::text as tx";

    /** The position every event of a transaction that has not ended yet comes after: where a new reader starts. */
    public EventPosition now() {
        return query("select pg_snapshot_xmin(pg_current_snapshot())::text as horizon", statement -> {
        }, rows -> {
            rows.next();
            return EventPosition.before(Long.parseLong(rows.getString("horizon")));
        });
    }

    /** At most {@code limit} events after {@code from}, of one application or (null) of all, in outbox order. */
    public Batch after(EventPosition from, Long applicationId, int limit) {
        String sql = "with h as (select pg_snapshot_xmin(pg_current_snapshot()) as horizon) select h.horizon::text as horizon, "
                + COLUMNS + " from h left join lateral (select * from session_event e where (e.tx, e.id) > (?::text::xid8, ?) "
                + "and e.tx < h.horizon" + (applicationId == null ? "" : " and e.application_id = ?")
                + " order by e.tx, e.id limit ?) e on true";
        return query(sql, statement -> {
            int at = 1;
            statement.setString(at++, Long.toUnsignedString(from.tx()));
            statement.setLong(at++, from.id());
            if (applicationId != null) {
                statement.setLong(at++, applicationId);
            }
            statement.setInt(at, limit);
        }, rows -> {
            List<StoredEvent> events = new ArrayList<>();
            EventPosition horizon = null;
            while (rows.next()) {
                horizon = EventPosition.before(Long.parseUnsignedLong(rows.getString("horizon")));
                if (rows.getString("kind") != null) {
                    events.add(event(rows));
                }
            }
            EventPosition next = events.size() == limit ? events.get(events.size() - 1).position() : horizon;
            if (next == null || next.compareTo(from) < 0) {
                next = from;
            }
            return new Batch(events, next);
        });
    }

    /** Whether the outbox still holds every event after the position (its retention has deleted none of them). */
    public boolean retainsAfter(EventPosition position) {
        return query("select tx::text as tx, event_id from session_event_pruned", statement -> {
        }, rows -> {
            if (!rows.next()) {
                return true;
            }
            EventPosition pruned = new EventPosition(Long.parseUnsignedLong(rows.getString("tx")), rows.getLong("event_id"));
            return position.compareTo(pruned) >= 0;
        });
    }

    /** The session's newest event, if the outbox still holds one. */
    public StoredEvent latestOf(long applicationId, long sessionId) {
        return query("select " + COLUMNS + " from session_event e where e.application_id = ? and e.session_id = ? "
                + "order by e.version desc, e.id desc limit 1", statement -> {
                    statement.setLong(1, applicationId);
                    statement.setLong(2, sessionId);
                }, rows -> rows.next() ? event(rows) : null);
    }

    /**
     * Deletes at most {@code limit} events that occurred before {@code before}, oldest first, and records how far the
     * outbox has been pruned. One statement; the number deleted.
     */
    public int prune(OffsetDateTime before, int limit) {
        return query("""
                with old as (select application_id, id from session_event where occurred < ? order by occurred, id limit ?),
                     gone as (delete from session_event e using old where e.application_id = old.application_id and e.id = old.id
                              returning e.tx, e.id),
                     newest as (select tx, id from gone order by tx desc, id desc limit 1),
                     marked as (update session_event_pruned p set tx = newest.tx, event_id = newest.id from newest
                                where (newest.tx, newest.id) > (p.tx, p.event_id) returning 1)
                select (select count(*) from gone) as deleted, (select count(*) from marked) as marked""", statement -> {
            statement.setObject(1, before);
            statement.setInt(2, limit);
        }, rows -> {
            rows.next();
            return rows.getInt("deleted");
        });
    }

    private static StoredEvent event(ResultSet row) throws SQLException {
        long id = row.getLong("id");
        return new StoredEvent(row.getLong("application_id"), id, row.getLong("session_id"), row.getString("integration_id"),
                row.getLong("version"), SessionEventKind.valueOf(row.getString("kind")), row.getObject("occurred", OffsetDateTime.class),
                new EventPosition(Long.parseUnsignedLong(row.getString("tx")), id));
    }

    private <T> T query(String sql, Sql.Binder binder, Sql.RowsReader<T> reader) {
        return Sql.query(dataSource, sql, binder, reader);
    }
}
