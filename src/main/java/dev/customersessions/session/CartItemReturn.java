package dev.customersessions.session;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One return of cart items from a closed session: which positions, how many units of each, when. Never changes.
 *
 * @param lines in position order
 */
public record CartItemReturn(long id, long sessionId, OffsetDateTime created, List<Line> lines) {

    /** Units returned of the cart item at one position. */
    public record Line(int position, int quantity) {
    }
}
