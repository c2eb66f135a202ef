package dev.customersessions.session;

import java.time.OffsetDateTime;

import dev.customersessions.common.Validation;

/** Which sessions a listing shows; a null field does not filter. */
public record SessionFilter(String profileId, SessionState state, OffsetDateTime createdFrom,
        OffsetDateTime createdBefore, String couponCode) {

    public static final SessionFilter NONE = new SessionFilter(null, null, null, null, null);

    /** False when no stored session can match, such as a text with a character PostgreSQL cannot store. */
    public boolean isSatisfiable() {
        return (profileId == null || Validation.isStorable(profileId)) && (couponCode == null || Validation.isStorable(couponCode));
    }
}
