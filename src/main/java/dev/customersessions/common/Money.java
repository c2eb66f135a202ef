package dev.customersessions.common;

import java.math.BigDecimal;

/** Exact decimal helpers. Amounts are BigDecimal end to end and numeric(20, 6) in PostgreSQL. */
public final class Money {

    public static final int MAX_FRACTION_DIGITS = 6;
    /** Digits before the point of the largest amount. */
    public static final int MAX_INTEGER_DIGITS = 14;
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("99999999999999.999999");

    private Money() {
    }

    /** How many fraction digits the value really has (trailing zeros do not count). */
    public static int fractionDigits(BigDecimal value) {
        return Math.max(0, value.stripTrailingZeros().scale());
    }

    /**
     * The value without trailing fraction zeros and never in exponent form: {@code 10.500000} becomes {@code 10.5},
     * {@code 100.000000} becomes {@code 100}. Null stays null.
     */
    public static BigDecimal normalize(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
