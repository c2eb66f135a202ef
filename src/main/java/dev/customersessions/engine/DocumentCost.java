package dev.customersessions.engine;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

import graphql.language.Argument;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FloatValue;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.Value;
import graphql.language.VariableReference;

/**
 * What an operation asks for, measured on the document without running it: as if every fragment spread were
 * replaced by its fragment, but each fragment is measured once, so a document whose expansion is astronomically
 * large is measured as quickly as it is read. Counts saturate at {@link Long#MAX_VALUE}.
 *
 * @param depth         the deepest nesting of fields
 * @param fields        fields selected, fragments expanded
 * @param aliases       aliased fields, fragments expanded
 * @param rootFields    fields at the root of the operation
 * @param listedNodes   Σ page sizes of the paged listings at the root
 * @param points        the rate limit's measure ({@link QueryCost}): 1 for every field that selects an object, a
 *                      paged listing's nodes counted as often as its page size
 */
public record DocumentCost(long depth, long fields, long aliases, long rootFields, long listedNodes, long points) {

    private static final DocumentCost NONE = new DocumentCost(0, 0, 0, 0, 0, 0);

    /**
     * Measures a selection set (usually an operation's).
     *
     * @param fragments  the document's fragments by name
     * @param pageSize   for a field at the root: the page size it asks for when it is a paged listing, else 0
     */
    public static DocumentCost of(SelectionSet selections, Map<String, FragmentDefinition> fragments,
            ToIntFunction<Field> pageSize) {
        return new Measure(fragments, pageSize).of(selections);
    }

    /** Whether the field names the argument at all (any value). */
    public static boolean hasArgument(Field field, String name) {
        return field.getArguments().stream().anyMatch(argument -> argument.getName().equals(name));
    }

    /**
     * The value of an Int argument given literally (also as {@code 100.0}, which Int accepts) or as a variable;
     * null when it is absent, null or not a whole number in Int's range.
     */
    public static Integer intArgument(Field field, String name, Map<String, Object> variables) {
        for (Argument argument : field.getArguments()) {
            if (argument.getName().equals(name)) {
                Value<?> value = argument.getValue();
                if (value instanceof VariableReference variable) {
                    return variables.get(variable.getName()) instanceof Integer given ? given : null;
                }
                try {
                    return value instanceof IntValue || value instanceof FloatValue
                            ? (Integer) StrictScalars.wholeInt(value instanceof IntValue i ? i.getValue() : ((FloatValue) value).getValue())
                            : null;
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static final class Measure {
        private final Map<String, FragmentDefinition> fragments;
        private final ToIntFunction<Field> pageSize;
        private final Map<String, DocumentCost> measured = new HashMap<>();
        private final Set<String> measuring = new HashSet<>();

        Measure(Map<String, FragmentDefinition> fragments, ToIntFunction<Field> pageSize) {
            this.fragments = fragments;
            this.pageSize = pageSize;
        }

        DocumentCost of(SelectionSet set) {
            DocumentCost total = NONE;
            if (set == null) {
                return total;
            }
            for (Selection<?> selection : set.getSelections()) {
                total = total.plus(of(selection));
            }
            return total;
        }

        private DocumentCost of(Selection<?> selection) {
            if (selection instanceof Field field) {
                DocumentCost below = of(field.getSelectionSet());
                int page = pageSize.applyAsInt(field);
                long points = field.getSelectionSet() == null ? 0 : saturated(1, page > 0 ? multiplied(page, below.points) : below.points);
                return new DocumentCost(saturated(below.depth, 1), saturated(below.fields, 1),
                        saturated(below.aliases, field.getAlias() == null ? 0 : 1), 1, page, points);
            }
            if (selection instanceof InlineFragment inline) {
                return of(inline.getSelectionSet());
            }
            if (selection instanceof FragmentSpread spread) {
                return fragment(spread.getName());
            }
            return NONE;
        }

        private DocumentCost fragment(String name) {
            DocumentCost known = measured.get(name);
            if (known != null) {
                return known;
            }
            FragmentDefinition definition = fragments.get(name);
            if (definition == null || !measuring.add(name)) {
                return NONE; // unknown or cyclic: validation refuses such documents before they run
            }
            DocumentCost cost = of(definition.getSelectionSet());
            measuring.remove(name);
            measured.put(name, cost);
            return cost;
        }
    }

    private DocumentCost plus(DocumentCost other) {
        return new DocumentCost(Math.max(depth, other.depth), saturated(fields, other.fields), saturated(aliases, other.aliases),
                saturated(rootFields, other.rootFields), saturated(listedNodes, other.listedNodes), saturated(points, other.points));
    }

    static long multiplied(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    static long saturated(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
