package dev.customersessions.engine;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What one GraphQL request may cost, measured after parsing and before any field runs, the same for every caller
 * (with or without credentials). Prefix {@code customer-sessions.limits}; docs/limits.md lists them.
 */
@ConfigMapping(prefix = "customer-sessions.limits")
public interface RequestLimitsConfig {

    /**
     * Characters of the GraphQL document (the {@code query} text; variables are bounded by the HTTP body size).
     * Carts belong in variables; the documents themselves are small (GraphiQL's schema query: 1,500 characters).
     */
    @WithDefault("32768")
    int documentCharacters();

    /** Tokens of the GraphQL document (names, punctuation, values; GraphiQL's schema query: about 300). */
    @WithDefault("5000")
    int documentTokens();

    /**
     * Documents up to this many characters are kept, parsed and validated, for reuse (up to 2048 of them);
     * longer ones are parsed anew each time, so that the cache cannot fill the memory.
     */
    @WithDefault("4096")
    int cachedDocumentCharacters();

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

    /**
     * Values in one response: every field value and list element counts. Checked while the response is built,
     * since it depends on the stored data (a cart holds up to 1000 items); catches fan-out that the document does
     * not show, such as aliased carts under a listing. A page of 100 sessions with 100-item carts, every field
     * selected, holds about 250,000.
     */
    @WithDefault("500000")
    int resultValues();

    /**
     * Cart lines one request may read from the database (a line per cart item and additional cost): totals alone
     * read every line of the carts they sum, without showing them, so values served do not bound this work. Two
     * flattened carts of 10,000 units with a cost each fit; a page of 100 sessions of 200-item carts does too.
     */
    @WithDefault("50000")
    int cartLines();

    /** The longest a request's body may take to arrive (the idle timeout alone lets a slow trickle go on). */
    @WithDefault("20S")
    Duration requestReadTimeout();
}
