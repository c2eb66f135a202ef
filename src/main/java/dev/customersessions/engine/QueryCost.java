package dev.customersessions.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;

/**
 * What an operation costs against a rate limit, in points, computed on the document before it runs (the model of
 * Shopify's GraphQL cost): every field that selects an object costs 1 (a plain value costs nothing), a paged listing
 * costs its page size times what one of its nodes costs ({@link DocumentCost#points}), every mutation at the root
 * costs {@link #MUTATION_POINTS} more, and the request itself 1. A listing that returns fewer nodes than its page size
 * is charged only for those ({@link #actual}).
 *
 * @param requested the points the operation may cost at most
 * @param listings  the paged listings at the root, to charge by what they return
 */
public record QueryCost(long requested, List<Listing> listings) {

    /** What a mutation at the root costs beyond its selection: it writes. */
    public static final int MUTATION_POINTS = 10;

    /** A paged listing at the root: its response key, page size, and what one of its nodes costs. */
    public record Listing(String responseKey, int pageSize, long nodePoints) {
    }

    /**
     * @param measured  the operation as {@link DocumentCost} measured it, with the same page sizes
     * @param pageSize  for a field at the root: the page size it asks for when it is a paged listing, else 0
     */
    public static QueryCost of(DocumentCost measured, OperationDefinition operation, Map<String, FragmentDefinition> fragments,
            ToIntFunction<Field> pageSize) {
        long requested = saturated(1, measured.points());
        if (operation.getOperation() == OperationDefinition.Operation.MUTATION) {
            requested = saturated(requested, DocumentCost.multiplied(measured.rootFields(), MUTATION_POINTS));
        }
        List<Listing> listings = new ArrayList<>();
        for (Field field : rootFields(operation.getSelectionSet(), fragments)) {
            int size = pageSize.applyAsInt(field);
            if (size > 0) {
                listings.add(new Listing(field.getResultKey(), size, DocumentCost.of(field.getSelectionSet(), fragments, pageSize).points()));
            }
        }
        return new QueryCost(requested, List.copyOf(listings));
    }

    /** The points the operation cost, given the nodes each listing returned (by response key; missing: none). */
    public long actual(Map<String, Integer> returnedNodes) {
        long refund = 0;
        for (Listing listing : listings) {
            int returned = Math.min(listing.pageSize, returnedNodes.getOrDefault(listing.responseKey, 0));
            long unused = (long) (listing.pageSize - returned);
            refund = saturated(refund, DocumentCost.multiplied(unused, listing.nodePoints));
        }
        return Math.max(1, requested - Math.min(refund, requested));
    }

    /** The fields at the root of a selection set, fragments expanded (each fragment once). */
    private static List<Field> rootFields(SelectionSet set, Map<String, FragmentDefinition> fragments) {
        List<Field> fields = new ArrayList<>();
        collect(set, fragments, fields, new HashSet<>());
        return fields;
    }

    private static void collect(SelectionSet set, Map<String, FragmentDefinition> fragments, List<Field> fields, Set<String> seen) {
        if (set == null) {
            return;
        }
        for (Selection<?> selection : set.getSelections()) {
            if (selection instanceof Field field) {
                fields.add(field);
            } else if (selection instanceof InlineFragment inline) {
                collect(inline.getSelectionSet(), fragments, fields, seen);
            } else if (selection instanceof FragmentSpread spread && seen.add(spread.getName()) && fragments.containsKey(spread.getName())) {
                collect(fragments.get(spread.getName()).getSelectionSet(), fragments, fields, seen);
            }
        }
    }

    private static long saturated(long a, long b) {
        return DocumentCost.saturated(a, b);
    }
}
