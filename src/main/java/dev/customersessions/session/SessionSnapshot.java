package dev.customersessions.session;

import java.util.List;

/**
 * A session as stored (its row, as read or as just written) with its cart, and its
 * returns when they were read with it (null: not read).
 */
public record SessionSnapshot(CustomerSession session, List<CartLine> cart, List<CartItemReturn> returns) {

    SessionSnapshot withReturns(List<CartItemReturn> read) {
        return new SessionSnapshot(session, cart, read);
    }
}
