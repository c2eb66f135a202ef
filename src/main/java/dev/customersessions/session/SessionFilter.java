package dev.customersessions.session;

import java.time.OffsetDateTime;

/** Which sessions a listing shows; a null field does not filter. */
public record SessionFilter(String profileId, SessionState state, OffsetDateTime createdFrom,
        OffsetDateTime createdBefore, String couponCode) {

    public static final SessionFilter NONE = new SessionFilter(null, null, null, null, null);
}
