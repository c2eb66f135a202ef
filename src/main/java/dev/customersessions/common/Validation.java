package dev.customersessions.common;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects the user errors of one request's input, so that all of them are reported at once. */
public final class Validation {

    /** Names of attributes and additional costs. */
    public static final Pattern NAME = Pattern.compile("^[A-Za-z]\\w*$");

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

    /** A string PostgreSQL can store: text and jsonb refuse the NUL character. */
    public void storable(String value, FieldPath field, String what) {
        if (value != null && !isStorable(value)) {
            fail(UserErrorCode.VALIDATION_FAILED, field, what + " must not contain the NUL character (U+0000)");
        }
    }

    public static boolean isStorable(String value) {
        return value.indexOf(0) < 0;
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
        if (value.signum() < 0) {
            fail(UserErrorCode.VALIDATION_FAILED, field, what + " must not be negative, got " + value.toPlainString());
        } else if (Money.fractionDigits(value) > Money.MAX_FRACTION_DIGITS) {
            fail(UserErrorCode.VALIDATION_FAILED, field, what + " must have at most " + Money.MAX_FRACTION_DIGITS
                    + " fraction digits, got " + value.toPlainString());
        } else if (value.compareTo(Money.MAX_AMOUNT) > 0) {
            fail(UserErrorCode.VALIDATION_FAILED, field, what + " must be less than 10^14, got " + value.toPlainString());
        }
    }

    /** A name of the form {@code ^[A-Za-z]\w*$}, at most max characters. */
    public void name(String value, int max, FieldPath field, String what) {
        requiredText(value, max, field, what);
        if (value != null && !value.isEmpty() && !NAME.matcher(value).matches()) {
            fail(UserErrorCode.VALIDATION_FAILED, field, what + " \"" + value
                    + "\" must start with a letter and contain only letters, digits and underscores");
        }
    }
}
