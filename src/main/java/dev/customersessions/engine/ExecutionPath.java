package dev.customersessions.engine;

import java.util.concurrent.atomic.LongAdder;

import graphql.GraphQLContext;

/**
 * The one switch that sends an execution past every fast path: with {@link #STANDARD} set to {@code Boolean.TRUE} in
 * its GraphQL context, graphql-java completes every list itself ({@link LeanListStrategy}), every field is read by
 * SmallRye's own data fetcher ({@link LeanFieldFetchers}) and every input is bound by SmallRye
 * ({@link EngineRegistration#boundArguments()}). What runs then is what would run without the fast paths, so that
 * a test can send the same document both ways and require the same answer, byte for byte
 * ({@code FastPathDifferentialTest}). A fast path asks {@link #standard} once per list or field it would serve and,
 * when it is set, does exactly what would happen without it.
 *
 * <p>How a request sets it: the header {@value StandardExecutionSwitch#HEADER}, honoured only where
 * {@code customer-sessions.engine.standard-execution-header} is on (tests; never in production).
 */
public final class ExecutionPath {

    /** The key in graphql-java's {@link GraphQLContext}: {@code Boolean.TRUE} means "standard execution". */
    public static final String STANDARD = "customer-sessions.standard-execution";

    /** Every time a fast path stood aside for the switch: what shows a test that the switch took effect. */
    private static final LongAdder STOOD_ASIDE = new LongAdder();

    private ExecutionPath() {
    }

    /**
     * Whether this execution runs the standard way (null-safe). A plain map read when the switch is off, which is
     * always in production: no allocation on the fast paths.
     */
    public static boolean standard(GraphQLContext context) {
        if (context == null || !Boolean.TRUE.equals(context.get(STANDARD))) {
            return false;
        }
        STOOD_ASIDE.increment();
        return true;
    }

    /** How many times, in this process, a fast path asked {@link #standard} and stood aside. */
    public static long stoodAside() {
        return STOOD_ASIDE.sum();
    }
}
