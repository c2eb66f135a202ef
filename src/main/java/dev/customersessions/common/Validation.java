package dev.customersessions.common;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects the user errors of one request's input, so that all of them are reported at once. */
public final class Validation {

    /** Names of attributes and additional costs. */
    public static final Pattern NAME = Pattern.compile("^[A-Za-z]\\w*$");

    /** How much of a value a message quotes. */
    public static final int QUOTED_LENGTH = 40;

    private final List<UserError> errors = new ArrayList<>();

    public void fail(UserErrorCode code, FieldPath field, String message) {
        errors.add(UserError.of(code, field, message));
    }

    /** Throws a {@link RefusedException} with everything collected, if anything was. */
    public void throwIfFailed() {
        if (!errors.isEmpty()) {
            throw new RefusedException(errors);
        }
    }

    /**
     * For a query's arguments (queries have no {@code userErrors}): throws an {@link InvalidArgumentException}, a
     * top-level {@code VALIDATION_FAILED} error, with the messages a mutation would give as user errors.
     */
    public void throwIfInvalidArgument() {
        if (!errors.isEmpty()) {
            throw new InvalidArgumentException(String.join("; ", errors.stream().map(UserError::message).toList()));
        }
    }

    /** A string that must be present and 1..max characters long. */
    public void requiredText(String value, int max, FieldPath field, String what) {
        if (value == null || value.isEmpty()) {
            fail(UserErrorCode.VALIDATION_FAILED, field, what + " must not be empty");
        } else {
            optionalText(value, max, field, what);
        }
    }

    /** A string that may be absent, and otherwise is at most max characters long and storable. */
    public void optionalText(String value, int max, FieldPath field, String what) {
        if (value != null && value.codePointCount(0, value.length()) > max) {
            fail(UserErrorCode.VALIDATION_FAILED, field, what + " must be at most " + max + " characters long");
        } else {
            storable(value, field, what);
        }
    }

    /**
     * A string that is valid Unicode PostgreSQL can store: text and jsonb refuse the NUL character, and an unpaired
     * UTF-16 surrogate has no UTF-8 form (it would be stored as "?", so two different ids would become one).
     */
    public void storable(String value, FieldPath field, String what) {
        if (value != null && !isStorable(value)) {
            fail(UserErrorCode.VALIDATION_FAILED, field, what
                    + " must be valid Unicode without the NUL character (U+0000) or unpaired surrogates (U+D800 to U+DFFF)");
        }
    }

    public static boolean isStorable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A number as people write it, for a message: plain ("1.50", "100000000000000000000"), or, when that would be long,
     * with a lowercase exponent and no plus sign ("1e400", "1.5e-400"), as JSON and GraphQL documents write it (Java's
     * own form is "1E+400"). A number parsed from JSON or a document has lost its text: "1e2" is shown as "100".
     */
    public static String plain(BigDecimal value) {
        if (Math.abs(value.scale()) <= QUOTED_LENGTH && value.precision() <= QUOTED_LENGTH) {
            return value.toPlainString();
        }
        return value.toString().replace("E+", "e").replace('E', 'e');
    }

    /** A value the client sent, quoted for a message: a string as it was sent, a number {@link #plain}. */
    public static String quotedValue(Object value) {
        return quoted(value instanceof BigDecimal number ? plain(number)
                : value instanceof Double || value instanceof Float ? plain(new BigDecimal(value.toString())) : String.valueOf(value));
    }

    /** The value quoted for a message, cut to its first {@value #QUOTED_LENGTH} characters: messages never echo more. */
    public static String quoted(String value) {
        if (value == null) {
            return "null";
        }
        if (value.length() <= QUOTED_LENGTH) {
            return '"' + value + '"';
        }
        int end = Character.isHighSurrogate(value.charAt(QUOTED_LENGTH - 1)) ? QUOTED_LENGTH - 1 : QUOTED_LENGTH;
        return '"' + value.substring(0, end) + "…\"";
    }

    /** A list of at most max entries. */
    public boolean maxCount(List<?> values, int max, FieldPath field, String what) {
        if (values != null && values.size() > max) {
            fail(UserErrorCode.LIMIT_EXCEEDED, field, "at most " + max + " " + what + " are allowed, got " + values.size());
            return false;
        }
        return true;
    }

    /** A non-negative exact decimal that fits numeric(20, 6). */
    public void amount(BigDecimal value, boolean required, FieldPath field, String what) {
        if (value == null) {
            if (required) {
                fail(UserErrorCode.VALIDATION_FAILED, field, what + " is required");
            }
            return;
        }
        // Digits before the point and the scale are read before any arithmetic, whatever the exponent.
        String shown = quoted(plain(value));
        if (value.signum() < 0) {
            fail(UserErrorCode.VALIDATION_FAILED, field, what + " must not be negative, got " + shown);
        } else if ((long) value.precision() - value.scale() > Money.MAX_INTEGER_DIGITS || value.compareTo(Money.MAX_AMOUNT) > 0) {
            fail(UserErrorCode.VALIDATION_FAILED, field, what + " must be less than 10^14, got " + shown);
        } else if (value.scale() > Money.MAX_FRACTION_DIGITS && Money.fractionDigits(value) > Money.MAX_FRACTION_DIGITS) {
            fail(UserErrorCode.VALIDATION_FAILED, field, what + " must have at most " + Money.MAX_FRACTION_DIGITS
                    + " fraction digits, got " + shown);
        }
    }

    /** A name of the form {@code ^[A-Za-z]\w*$}, at most max characters. */
    public void name(String value, int max, FieldPath field, String what) {
        requiredText(value, max, field, what);
        if (value != null && !value.isEmpty() && !NAME.matcher(value).matches()) {
            fail(UserErrorCode.VALIDATION_FAILED, field, what + " " + quoted(value)
                    + " must start with a letter and contain only letters, digits and underscores");
        }
    }
}
