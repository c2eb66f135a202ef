package dev.customersessions.events;

import java.util.Base64;
import java.nio.charset.StandardCharsets;

/**
 * A place in the outbox, in the order readers follow it: the writing transaction's id ({@code xid8}), then the row's
 * id. Every event after a position whose transaction has ended is read after it; none before it. Clients see it as an
 * opaque cursor.
 */
public record EventPosition(long tx, long id) implements Comparable<EventPosition> {

    /** Before every event of transactions from {@code tx} on. */
    static EventPosition before(long tx) {
        return new EventPosition(tx, -1);
    }

    @Override
    public int compareTo(EventPosition other) {
        int byTx = Long.compareUnsigned(tx, other.tx);
        return byTx != 0 ? byTx : Long.compare(id, other.id);
    }

    /** The opaque text clients resume from. */
    public String cursor() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((tx + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** The position of a cursor from {@link #cursor()}; null when it is not one. */
    public static EventPosition ofCursor(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split(":", -1);
            if (parts.length != 2) {
                return null;
            }
            long tx = Long.parseLong(parts[0]);
            long id = Long.parseLong(parts[1]);
            return tx >= 0 && id >= -1 ? new EventPosition(tx, id) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
