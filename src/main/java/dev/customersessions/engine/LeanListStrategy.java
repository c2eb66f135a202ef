package dev.customersessions.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import graphql.execution.AsyncExecutionStrategy;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.ExecutionContext;
import graphql.execution.ExecutionStrategyParameters;
import graphql.execution.FieldCollectorParameters;
import graphql.execution.FieldValueInfo;
import graphql.execution.MergedField;
import graphql.execution.MergedSelectionSet;
import graphql.execution.ResultNodesInfo;
import graphql.schema.DataFetcher;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

/**
 * graphql-java's execution, except for lists of the plain types features register
 * ({@link EngineRegistration#plainTypes()}): those are completed here in one pass. graphql-java completes every field of every list element on its own (a path, step
 * info, parameters, fetch and completion per field); for a 100-item cart that is most of a read's time. Here the
 * selection is collected once per list (with graphql-java's own field collector: fragments, aliases, {@code @skip} and
 * {@code @include} as ever), and each element's fields are read by their public-field fetchers and serialized by their
 * scalars and enums, nested plain objects and lists likewise.
 *
 * <p>An execution that runs the standard way ({@link ExecutionPath}) has every list completed by graphql-java.
 *
 * <p>When anything does not fit (a field served otherwise, a value its scalar refuses, a null where the schema
 * promises a value) the list is completed the standard way, so that errors are reported exactly as ever. The
 * elements completed here are not counted as objects of the next level by the data loader dispatch (none of these
 * types has a batched field).
 */
final class LeanListStrategy extends AsyncExecutionStrategy {

    /** The names of the plain types ({@link EngineRegistration#plainTypes()}). */
    private final Set<String> plainTypes;

    LeanListStrategy(DataFetcherExceptionHandler exceptionHandler, Set<String> plainTypes) {
        super(exceptionHandler);
        this.plainTypes = Set.copyOf(plainTypes);
    }

    @Override
    protected FieldValueInfo completeValueForList(ExecutionContext context, ExecutionStrategyParameters parameters, Iterable<Object> values) {
        GraphQLType listType = GraphQLTypeUtil.unwrapNonNull(parameters.getExecutionStepInfo().getType());
        if (listType instanceof GraphQLList list && GraphQLTypeUtil.unwrapNonNull(list.getWrappedType()) instanceof GraphQLObjectType element
                && plainTypes.contains(element.getName()) && !ExecutionPath.standard(context.getGraphQLContext())) {
            Plan plan = plan(context, element, parameters.getField());
            if (plan != null) {
                List<Object> completed = plan.completeList(context, values, GraphQLTypeUtil.isNonNull(list.getWrappedType()));
                if (completed != null) {
                    return new FieldValueInfo(FieldValueInfo.CompleteValueType.LIST, completed, List.of());
                }
            }
        }
        return super.completeValueForList(context, parameters, values);
    }

    /** How to complete objects of a plain type for one selection; null when a selected field is not a plain read. */
    private Plan plan(ExecutionContext context, GraphQLObjectType type, MergedField field) {
        FieldCollectorParameters collector = FieldCollectorParameters.newParameters().schema(context.getGraphQLSchema()).objectType(type)
                .fragments(context.getFragmentsByName()).variables(context.getCoercedVariables().toMap())
                .graphQLContext(context.getGraphQLContext()).build();
        MergedSelectionSet selection = fieldCollector.collectFields(collector, field, false);
        List<Step> steps = new ArrayList<>(selection.size());
        for (String key : selection.getKeys()) {
            MergedField selected = selection.getSubField(key);
            String name = selected.getName();
            if (name.equals("__typename")) {
                steps.add(new Step(key, null, null, null, null, type.getName()));
                continue;
            }
            GraphQLFieldDefinition definition = type.getFieldDefinition(name);
            if (definition == null || !definition.getArguments().isEmpty()) {
                return null;
            }
            DataFetcher<?> fetcher = context.getGraphQLSchema().getCodeRegistry().getDataFetcher(FieldCoordinates.coordinates(type, definition), definition);
            if (!(fetcher instanceof LeanFieldFetchers.PublicField read)) {
                return null;
            }
            GraphQLOutputType fieldType = definition.getType();
            GraphQLType unwrapped = GraphQLTypeUtil.unwrapAll(fieldType);
            Plan nested = null;
            if (unwrapped instanceof GraphQLObjectType object) {
                if (!plainTypes.contains(object.getName())) {
                    return null;
                }
                nested = plan(context, object, selected);
                if (nested == null) {
                    return null;
                }
            }
            steps.add(new Step(key, read, fieldType, unwrapped, nested, null));
        }
        return new Plan(steps);
    }

    /** One selected field: its result key, how it is read and what it is. */
    private record Step(String key, LeanFieldFetchers.PublicField read, GraphQLOutputType type, GraphQLType unwrapped, Plan nested,
            String typename) {
    }

    /** Thrown when the answer would hold more values than allowed. */
    private static final class TooManyValues extends Exception {
        TooManyValues() {
            super(null, null, false, false);
        }
    }

    /** Thrown inside a plan when something does not fit it; the list is then completed the standard way. */
    private static final class DoesNotFit extends Exception {
        DoesNotFit() {
            super(null, null, false, false);
        }
    }

    private record Plan(List<Step> steps) {

        List<Object> completeList(ExecutionContext context, Iterable<Object> values, boolean nonNullElements) {
            int[] counted = {0};
            try {
                List<Object> completed = list(context, values, nonNullElements, counted);
                for (int i = 0; i < counted[0]; i++) {
                    context.getResultNodesInfo().incrementAndGetResultNodesCount();
                }
                return completed;
            } catch (DoesNotFit e) {
                return null;
            } catch (TooManyValues e) {
                return List.of(); // the whole answer is refused (customer-sessions.limits.result-values)
            }
        }

        /**
         * Counts one value of the answer as graphql-java does (every field, every list element) against its limit on
         * result nodes, which the request policy sets (customer-sessions.limits.result-values). Counted here and added
         * to graphql-java's count only when the list is completed here, so that a list completed the standard way after
         * all is not counted twice.
         */
        private static void count(ExecutionContext context, int[] counted) throws TooManyValues {
            counted[0]++;
            Integer max = context.getGraphQLContext().get(ResultNodesInfo.MAX_RESULT_NODES);
            if (max != null && context.getResultNodesInfo().getResultNodesCount() + counted[0] > max) {
                context.getResultNodesInfo().maxResultNodesExceeded();
                throw new TooManyValues();
            }
        }

        private List<Object> list(ExecutionContext context, Iterable<?> values, boolean nonNullElements, int[] counted)
                throws DoesNotFit, TooManyValues {
            List<Object> completed = values instanceof List<?> known ? new ArrayList<>(known.size()) : new ArrayList<>();
            for (Object value : values) {
                count(context, counted);
                if (value == null) {
                    if (nonNullElements) {
                        throw new DoesNotFit();
                    }
                    completed.add(null);
                } else {
                    completed.add(object(context, value, counted));
                }
            }
            return completed;
        }

        private Map<String, Object> object(ExecutionContext context, Object source, int[] counted) throws DoesNotFit, TooManyValues {
            Map<String, Object> result = new LinkedHashMap<>(steps.size() * 2);
            for (Step step : steps) {
                count(context, counted);
                if (step.typename != null) {
                    result.put(step.key, step.typename);
                    continue;
                }
                Object raw;
                try {
                    raw = step.read.field().get(source);
                } catch (IllegalAccessException | IllegalArgumentException e) {
                    throw new DoesNotFit();
                }
                result.put(step.key, value(context, step, step.type, raw, counted));
            }
            return result;
        }

        private Object value(ExecutionContext context, Step step, GraphQLType type, Object raw, int[] counted)
                throws DoesNotFit, TooManyValues {
            if (raw == null) {
                if (type instanceof GraphQLNonNull) {
                    throw new DoesNotFit();
                }
                return null;
            }
            GraphQLType bare = GraphQLTypeUtil.unwrapNonNull(type);
            try {
                if (bare instanceof GraphQLScalarType scalar) {
                    return scalar.getCoercing().serialize(raw, context.getGraphQLContext(), context.getLocale());
                }
                if (bare instanceof GraphQLEnumType enumType) {
                    return enumType.serialize(raw, context.getGraphQLContext(), context.getLocale());
                }
            } catch (RuntimeException refused) { // CoercingSerializeException: reported the standard way
                throw new DoesNotFit();
            }
            if (bare instanceof GraphQLList list) {
                if (!(raw instanceof Iterable<?> values)) {
                    throw new DoesNotFit();
                }
                List<Object> completed = new ArrayList<>();
                for (Object value : values) {
                    count(context, counted);
                    completed.add(value(context, step, list.getWrappedType(), value, counted));
                }
                return completed;
            }
            if (bare instanceof GraphQLObjectType && step.nested != null) {
                return step.nested.object(context, raw, counted);
            }
            throw new DoesNotFit();
        }
    }
}
