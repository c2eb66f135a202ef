package dev.customersessions.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque cursors for keyset paging by id: clients pass back what they were given, and nothing else. */
public final class Cursor {

    private static final String PREFIX = "id:";

    private Cursor() {
    }

    public static String encode(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The id behind a cursor; an {@link InvalidArgumentException} when it is not one this API gave out. */
    public static long decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX)) {
                return Long.parseLong(text.substring(PREFIX.length()));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the refusal below
        }
        throw new InvalidArgumentException("after: " + Validation.quoted(cursor) + " is not a cursor this API gave out");
    }
}
