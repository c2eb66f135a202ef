package dev.customersessions.graphql;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What one GraphQL request may cost, measured after parsing and before any field runs, the same for every caller
 * (with or without credentials). Prefix {@code customer-sessions.limits}; the README's "Limits" section lists them.
 */
@ConfigMapping(prefix = "customer-sessions.limits")
public interface RequestLimitsConfig {

    /** Characters of the GraphQL document (the {@code query} text; variables are bounded by the HTTP body size). */
    @WithDefault("100000")
    int documentCharacters();

    /** Tokens of the GraphQL document (names, punctuation, values). */
    @WithDefault("15000")
    int documentTokens();

    /** Nesting of selections: {@code { a { b } }} has depth 2. GraphiQL's schema query needs 13. */
    @WithDefault("15")
    int depth();

    /** Fields selected, with every fragment spread counted as often as it is spread. */
    @WithDefault("1000")
    int fields();

    /** Aliased fields, with fragments expanded as for {@link #fields()}. */
    @WithDefault("30")
    int aliases();

    /** Mutation fields at the root of one operation (each mutation runs in its own transaction). */
    @WithDefault("5")
    int rootMutations();

    /**
     * Listed nodes: the sum, over the paged listings of one operation, of the page size asked for ({@code first},
     * its default when left out, and at most the largest page). One page of 100 sessions is allowed; two aliased
     * pages of 100 are not.
     */
    @WithDefault("100")
    int listedNodes();
}
