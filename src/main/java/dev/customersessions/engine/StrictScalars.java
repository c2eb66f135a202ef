package dev.customersessions.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLSchemaElement;
import graphql.schema.GraphQLTypeVisitorStub;
import graphql.schema.SchemaTransformer;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;

import dev.customersessions.common.Money;
import dev.customersessions.common.Validation;

/**
 * The scalars clients see, exact or refused. SmallRye GraphQL's own number scalars narrow silently
 * ({@code 4294967297} and {@code 1.9} became the Int 1), let any exponent through to arithmetic that grows with it,
 * and serve decimals as JSON numbers, which JavaScript rounds. Applied to the schema SmallRye builds, so the served
 * SDL, introspection and execution agree:
 * <ul>
 * <li>{@code Int}: a whole number in range, in literals and variables alike;</li>
 * <li>{@code ID}: every id of this API is a positive 64-bit number, sent as a string or a number, served as a
 * string;</li>
 * <li>{@code Decimal} (Java BigDecimal; SmallRye's name is BigDecimal): at most {@value #MAX_DECIMAL_DIGITS} digits
 * before and after the point, checked on the digits and exponent before any arithmetic, accepted as a string or a
 * number, served as a string in plain notation without trailing zeros.</li>
 * </ul>
 */
public final class StrictScalars {

    /** Digits allowed on each side of a decimal point; the business rules (such as prices) are stricter. */
    public static final int MAX_DECIMAL_DIGITS = 30;
    /** The name clients see for exact decimals (amounts, dimensions, attribute numbers). */
    public static final String DECIMAL = "Decimal";
    static final String DECIMAL_DESCRIPTION = "An exact decimal number. Served as a JSON string in plain notation: an "
            + "optional minus sign, digits, and a fraction without trailing zeros (\"59.95\", \"100\", \"0.000001\"), never "
            + "in exponent form, so that JavaScript keeps every digit. Accepted as such a string or as a JSON number, with at "
            + "most " + MAX_DECIMAL_DIGITS + " digits before and " + MAX_DECIMAL_DIGITS + " after the point.";

    private static final WholeNumbers INT = new WholeNumbers("Int", BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE), true);
    private static final WholeNumbers LONG = new WholeNumbers("BigInteger", BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE), false);
    private static final WholeNumbers ID = new WholeNumbers("ID", BigInteger.ONE, BigInteger.valueOf(Long.MAX_VALUE), false);

    /** The longest decimal text read at all: sign, 30 + 30 digits, point, exponent. */
    private static final int MAX_DECIMAL_TEXT = 80;

    private StrictScalars() {
    }

    /** The schema with strict input coercion for Int, BigInteger (Java long) and BigDecimal. */
    public static GraphQLSchema apply(GraphQLSchema schema) {
        return SchemaTransformer.transformSchema(schema, new GraphQLTypeVisitorStub() {
            @Override
            public TraversalControl visitGraphQLScalarType(GraphQLScalarType scalar, TraverserContext<GraphQLSchemaElement> context) {
                GraphQLScalarType strict = switch (scalar.getName()) {
                    case "Int" -> scalar.transform(b -> b.coercing(new WholeNumber(scalar.getCoercing(), INT)));
                    case "BigInteger" -> scalar.transform(b -> b.coercing(new WholeNumber(scalar.getCoercing(), LONG)));
                    case "ID" -> scalar.transform(b -> b.coercing(new WholeNumber(scalar.getCoercing(), ID)));
                    case "BigDecimal" -> scalar.transform(b -> b.name(DECIMAL).description(DECIMAL_DESCRIPTION).coercing(new Decimal()));
                    case "DateTime" -> scalar.transform(b -> b.coercing(new DateTime(scalar.getCoercing())));
                    default -> null;
                };
                return strict == null ? TraversalControl.CONTINUE : changeNode(context, strict);
            }
        });
    }

    /** The value as an Int, exactly as the Int scalar reads it; an IllegalArgumentException if it is not one. */
    static Object wholeInt(Object value) {
        return INT.parse(value);
    }

    /** A decimal from a literal or variable value, checked for size before anything is computed with it. */
    static BigDecimal decimal(Object input, String type) {
        BigDecimal value = number(input, type, "a decimal number such as \"19.99\"");
        if (!withinDigits(value)) {
            throw new IllegalArgumentException(type + " must have at most " + MAX_DECIMAL_DIGITS
                    + " digits before and after the point, got " + sent(input, value));
        }
        return value;
    }

    /**
     * The number, of any size (precision and scale are read, never computed with); refused when it is none, saying
     * what was {@code expected} (a decimal, a whole number, with an example).
     */
    private static BigDecimal number(Object input, String type, String expected) {
        if (input instanceof BigDecimal d) {
            return d;
        } else if (input instanceof BigInteger i) {
            return new BigDecimal(i);
        } else if (input instanceof Integer || input instanceof Long || input instanceof Short || input instanceof Byte) {
            return BigDecimal.valueOf(((Number) input).longValue());
        } else if ((input instanceof Double || input instanceof Float) && Double.isFinite(((Number) input).doubleValue())) {
            return new BigDecimal(input.toString());
        } else if (input instanceof String text) {
            if (text.length() > MAX_DECIMAL_TEXT) {
                throw new IllegalArgumentException(type + " must have at most " + MAX_DECIMAL_DIGITS
                        + " digits before and after the point, got " + Validation.quoted(text));
            }
            try {
                return new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(type + " must be " + expected + ", got " + Validation.quoted(text));
            }
        }
        throw new IllegalArgumentException(type + " must be a number, got " + (input == null ? "null" : "a " + kind(input)));
    }

    /** At most {@value #MAX_DECIMAL_DIGITS} digits before and after the point (precision - scale: those before it). */
    private static boolean withinDigits(BigDecimal value) {
        return (long) value.precision() - value.scale() <= MAX_DECIMAL_DIGITS && value.scale() <= MAX_DECIMAL_DIGITS;
    }

    /**
     * The value quoted as the client sent it: a string as it is, a number as JSON and GraphQL write it ("1e400", never
     * Java's "1E+400"), since its text is gone once parsed.
     */
    private static String sent(Object input, BigDecimal value) {
        return input instanceof String text ? Validation.quoted(text) : Validation.quoted(Validation.plain(value));
    }

    private static String kind(Object input) {
        if (input instanceof Boolean) {
            return "boolean";
        }
        return input instanceof java.util.Map ? "object" : input instanceof java.util.Collection ? "list" : "value";
    }

    private static Object literal(Value<?> input) {
        if (input instanceof IntValue i) {
            return i.getValue();
        }
        if (input instanceof FloatValue f) {
            return f.getValue();
        }
        if (input instanceof StringValue s) {
            return s.getValue();
        }
        return input;
    }

    /** A coercing whose input side is {@link #parse}, for literals and variables alike; output is the original's. */
    private abstract static class StrictInput implements Coercing<Object, Object> {
        private final Coercing<Object, Object> original;

        @SuppressWarnings("unchecked")
        StrictInput(Coercing<?, ?> original) {
            this.original = (Coercing<Object, Object>) original;
        }

        /** The value, or an IllegalArgumentException whose message says what is wrong. */
        abstract Object parse(Object input);

        @Override
        public Object parseValue(Object input, GraphQLContext context, Locale locale) {
            try {
                return parse(input);
            } catch (IllegalArgumentException e) {
                throw new CoercingParseValueException(e.getMessage());
            }
        }

        @Override
        public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
            try {
                return parse(literal(input));
            } catch (IllegalArgumentException e) {
                throw new CoercingParseLiteralException(e.getMessage());
            }
        }

        @Override
        public Object serialize(Object output, GraphQLContext context, Locale locale) throws CoercingSerializeException {
            return original.serialize(output, context, locale);
        }

        @Override
        public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
            return original.valueToLiteral(input, context, locale);
        }
    }

    /** Whole numbers of one scalar: within [min, max]; strings only where SmallRye took them (BigInteger). */
    private record WholeNumbers(String type, BigInteger min, BigInteger max, boolean intResult) {

        Object parse(Object input) {
            if (input instanceof String && intResult) {
                throw new IllegalArgumentException(type + " must be a whole number, not a string");
            }
            BigDecimal value = number(input, type, "a whole number such as \"42\"");
            String range = type + " must be a whole number from " + min + " to " + max + ", got " + sent(input, value);
            if (!withinDigits(value) || (long) value.precision() - value.scale() > max.toString().length()) {
                throw new IllegalArgumentException(range);
            }
            BigInteger whole;
            try {
                whole = value.toBigIntegerExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(range);
            }
            if (whole.compareTo(min) < 0 || whole.compareTo(max) > 0) {
                throw new IllegalArgumentException(range);
            }
            return intResult ? (Object) whole.intValueExact() : (Object) whole.longValueExact();
        }
    }

    /** Int and BigInteger (Java long). */
    private static final class WholeNumber extends StrictInput {
        private final WholeNumbers numbers;

        WholeNumber(Coercing<?, ?> original, WholeNumbers numbers) {
            super(original);
            this.numbers = numbers;
        }

        @Override
        Object parse(Object input) {
            return numbers.parse(input);
        }
    }

    /**
     * DateTime: SmallRye's takes any string and fails later, one value at a time; this one checks the form on the
     * way in (ISO-8601 with an offset), so that a bad time is reported with every other problem, then hands over.
     */
    private static final class DateTime extends StrictInput {
        private final Coercing<Object, Object> original;

        @SuppressWarnings("unchecked")
        DateTime(Coercing<?, ?> original) {
            super(original);
            this.original = (Coercing<Object, Object>) original;
        }

        @Override
        Object parse(Object input) {
            if (input instanceof String text) {
                try {
                    java.time.OffsetDateTime.parse(text);
                } catch (java.time.format.DateTimeParseException e) {
                    throw new IllegalArgumentException("DateTime must be ISO-8601 with an offset, such as "
                            + "\"2026-12-24T10:00:00+01:00\", got " + Validation.quoted(text));
                }
            }
            return original.parseValue(input, GraphQLContext.getDefault(), Locale.ENGLISH);
        }
    }

    /** Decimal: a number or a decimal string in, a plain decimal string out. */
    private static final class Decimal extends StrictInput {
        Decimal() {
            super(null);
        }

        @Override
        Object parse(Object input) {
            return decimal(input, DECIMAL);
        }

        /** Output is not bounded: what is stored was bounded when it came in, and numeric columns bound it too. */
        @Override
        public Object serialize(Object output, GraphQLContext context, Locale locale) throws CoercingSerializeException {
            if (output instanceof BigDecimal value) {
                return Money.normalize(value).toPlainString();
            }
            try {
                return Money.normalize(new BigDecimal(String.valueOf(output))).toPlainString();
            } catch (NumberFormatException e) {
                throw new CoercingSerializeException("not a decimal: " + Validation.quoted(String.valueOf(output)));
            }
        }

        @Override
        public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
            return StringValue.of(Money.normalize(decimal(input, DECIMAL)).toPlainString());
        }
    }
}
