package dev.customersessions.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import graphql.execution.AsyncExecutionStrategy;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.ExecutionContext;
import graphql.execution.ExecutionStrategyParameters;
import graphql.execution.FieldCollectorParameters;
import graphql.execution.FieldValueInfo;
import graphql.execution.MergedField;
import graphql.execution.MergedSelectionSet;
import graphql.execution.NonNullableFieldWasNullException;
import graphql.execution.ResultNodesInfo;
import graphql.execution.ResultPath;
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
 * graphql-java's execution, except for objects of the plain types features register
 * ({@link EngineRegistration#plainTypes()}), alone or in lists: those are completed here in one pass. graphql-java
 * completes every field of every object on its own (a path, step info, parameters, fetch and completion per field, and
 * for a batched field a data loader load, a dispatch and SmallRye's context rebuilt for it); for a 100-item cart, or a
 * page of 50 sessions with their carts and totals, that is most of a read's time. Here the selection is collected
 * once per object or list (with graphql-java's own field collector: fragments, aliases, {@code @skip} and
 * {@code @include} as ever), each object's fields are read by their public-field fetchers and serialized by their
 * scalars and enums, nested plain objects and lists likewise, and the batched fields the features register
 * ({@link EngineRegistration#batchedFields()}) are computed by one call for all the objects completed together, as the
 * data loader would have batched them.
 *
 * <p>When anything does not fit (a field served otherwise, a value its scalar refuses, a null where the schema
 * promises a value, a batched field that throws) the object or list is completed the standard way, so that errors are
 * reported exactly as ever. Nor does the path run when the request asks for graphql-java's standard execution
 * ({@link ExecutionPath}, which the differential test sets to compare both paths). What is completed
 * here is not counted as objects of the next level by the data loader dispatch: nothing of it is left to fetch.
 */
final class LeanListStrategy extends AsyncExecutionStrategy {

    /** The names of the plain types ({@link EngineRegistration#plainTypes()}). */
    private final Set<String> plainTypes;

    /** The batched fields of plain types that a plan may compute itself ({@link EngineRegistration#batchedFields()}). */
    private final Map<FieldCoordinates, Function<List<Object>, List<?>>> batchedFields;

    LeanListStrategy(DataFetcherExceptionHandler exceptionHandler, Set<String> plainTypes) {
        this(exceptionHandler, plainTypes, List.of());
    }

    LeanListStrategy(DataFetcherExceptionHandler exceptionHandler, Set<String> plainTypes, List<EngineRegistration.BatchedField> batchedFields) {
        super(exceptionHandler);
        this.plainTypes = Set.copyOf(plainTypes);
        Map<FieldCoordinates, Function<List<Object>, List<?>>> batched = new LinkedHashMap<>();
        for (EngineRegistration.BatchedField field : batchedFields) {
            if (!this.plainTypes.contains(field.type())) {
                throw new IllegalStateException("the batched field " + field.type() + "." + field.field() + " is not of a plain type");
            }
            if (batched.put(FieldCoordinates.coordinates(field.type(), field.field()), field.values()) != null) {
                throw new IllegalStateException("the batched field " + field.type() + "." + field.field() + " is registered twice");
            }
        }
        this.batchedFields = Map.copyOf(batched);
    }

    /** Whether this request asks for graphql-java's standard execution (the differential tests' other path). */
    private static boolean standard(ExecutionContext context) {
        return ExecutionPath.standard(context.getGraphQLContext());
    }

    @Override
    protected FieldValueInfo completeValueForList(ExecutionContext context, ExecutionStrategyParameters parameters, Iterable<Object> values) {
        GraphQLType listType = GraphQLTypeUtil.unwrapNonNull(parameters.getExecutionStepInfo().getType());
        if (listType instanceof GraphQLList list && GraphQLTypeUtil.unwrapNonNull(list.getWrappedType()) instanceof GraphQLObjectType element
                && plainTypes.contains(element.getName()) && !standard(context)) {
            Plan plan = plan(context, element, parameters.getField(), true);
            if (plan != null) {
                List<Object> completed = plan.completeList(context, values, GraphQLTypeUtil.isNonNull(list.getWrappedType()));
                if (completed != null) {
                    return new FieldValueInfo(FieldValueInfo.CompleteValueType.LIST, completed, List.of());
                }
            }
        }
        return super.completeValueForList(context, parameters, values);
    }

    /**
     * An object of a plain type (a session read alone, the session of a mutation's payload): completed in one pass. Its
     * batched fields are computed here only when it is alone at its level, outside any list: objects inside a list of
     * other objects (a page's edges, each with its node) are many at their level, and the data loader batches them all
     * in one call, which one call per object here would not.
     */
    @Override
    protected FieldValueInfo completeValue(ExecutionContext context, ExecutionStrategyParameters parameters) throws NonNullableFieldWasNullException {
        if (parameters.getExecutionStepInfo().getUnwrappedNonNullType() instanceof GraphQLObjectType object && plainTypes.contains(object.getName())
                && !standard(context)) {
            Object source = context.getValueUnboxer().unbox(parameters.getSource());
            Plan plan = source == null ? null : plan(context, object, parameters.getField(), !inList(parameters.getPath()));
            Map<String, Object> completed = plan == null ? null : plan.completeObject(context, source);
            if (completed != null) {
                // A finished value, as a scalar's is: the data loader dispatch then expects no fetches below it.
                return new FieldValueInfo(FieldValueInfo.CompleteValueType.SCALAR, completed);
            }
        }
        return super.completeValue(context, parameters);
    }

    /** Whether a list's element is on this path (the object there is one of many at its level). */
    private static boolean inList(ResultPath path) {
        for (ResultPath segment = path; segment != null && !segment.isRootPath(); segment = segment.getParent()) {
            if (segment.isListSegment()) {
                return true;
            }
        }
        return false;
    }

    /**
     * How to complete objects of a plain type for one selection; null when a selected field is neither a plain read nor,
     * where {@code batchedAllowed}, a registered batched field. (Batched fields are computed for the objects a plan
     * completes together, so only at its top: not in the plain objects nested in them.) Nor where no request context is
     * active on this thread (a subscription's event, completed on the thread that delivers it): the resolvers of batched
     * fields need the caller's, which SmallRye's own fetchers activate for each field from the execution's state, so the
     * standard way serves those.
     */
    private Plan plan(ExecutionContext context, GraphQLObjectType type, MergedField field, boolean batchedAllowed) {
        io.quarkus.arc.ArcContainer container = io.quarkus.arc.Arc.container();
        batchedAllowed = batchedAllowed && !batchedFields.isEmpty() && (container == null || container.requestContext().isActive());
        FieldCollectorParameters collector = FieldCollectorParameters.newParameters().schema(context.getGraphQLSchema()).objectType(type)
                .fragments(context.getFragmentsByName()).variables(context.getCoercedVariables().toMap())
                .graphQLContext(context.getGraphQLContext()).build();
        MergedSelectionSet selection = fieldCollector.collectFields(collector, field, false);
        List<Step> steps = new ArrayList<>(selection.size());
        boolean batched = false;
        for (String key : selection.getKeys()) {
            MergedField selected = selection.getSubField(key);
            String name = selected.getName();
            if (name.equals("__typename")) {
                steps.add(new Step(key, null, null, null, null, null, type.getName()));
                continue;
            }
            GraphQLFieldDefinition definition = type.getFieldDefinition(name);
            if (definition == null || !definition.getArguments().isEmpty()) {
                return null;
            }
            FieldCoordinates coordinates = FieldCoordinates.coordinates(type, definition);
            DataFetcher<?> fetcher = context.getGraphQLSchema().getCodeRegistry().getDataFetcher(coordinates, definition);
            LeanFieldFetchers.PublicField read = fetcher instanceof LeanFieldFetchers.PublicField publicField ? publicField : null;
            Function<List<Object>, List<?>> batch = read == null && batchedAllowed ? batchedFields.get(coordinates) : null;
            if (read == null && batch == null) {
                return null;
            }
            batched |= batch != null;
            GraphQLOutputType fieldType = definition.getType();
            GraphQLType unwrapped = GraphQLTypeUtil.unwrapAll(fieldType);
            Plan nested = null;
            if (unwrapped instanceof GraphQLObjectType object) {
                if (!plainTypes.contains(object.getName())) {
                    return null;
                }
                nested = plan(context, object, selected, false);
                if (nested == null) {
                    return null;
                }
            }
            steps.add(new Step(key, read, batch, fieldType, unwrapped, nested, null));
        }
        return new Plan(steps, batched);
    }

    /** One selected field: its result key, how it is read (a public field, or a batched field) and what it is. */
    private record Step(String key, LeanFieldFetchers.PublicField read, Function<List<Object>, List<?>> batch, GraphQLOutputType type,
            GraphQLType unwrapped, Plan nested, String typename) {
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

    /** The steps of a plan, and whether any of them is a batched field. */
    private record Plan(List<Step> steps, boolean batched) {

        List<Object> completeList(ExecutionContext context, Iterable<Object> values, boolean nonNullElements) {
            return complete(context, counted -> list(context, values, nonNullElements, counted), List.of());
        }

        /** One object (not null), completed; null when it does not fit. */
        Map<String, Object> completeObject(ExecutionContext context, Object source) {
            return complete(context, counted -> object(context, source, 0, batch(List.of(source)), counted), Map.of());
        }

        /** What a plan completes, counting the values of the answer in {@code counted}. */
        private interface Completion<T> {
            T run(int[] counted) throws DoesNotFit, TooManyValues;
        }

        /** The completed value; null when it does not fit; {@code refused} when the answer holds too many values. */
        private static <T> T complete(ExecutionContext context, Completion<T> completion, T refused) {
            int[] counted = {0};
            try {
                T completed = completion.run(counted);
                for (int i = 0; i < counted[0]; i++) {
                    context.getResultNodesInfo().incrementAndGetResultNodesCount();
                }
                return completed;
            } catch (DoesNotFit e) {
                return null;
            } catch (TooManyValues e) {
                return refused; // the whole answer is refused (customer-sessions.limits.result-values)
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

        /**
         * The values of the batched steps for these objects (nulls skipped, as the data loader never loads them): by
         * step, then by object; null when the plan has no batched step. One call per batched field for all of them.
         */
        private Object[][] batch(List<Object> sources) throws DoesNotFit {
            if (!batched) {
                return null;
            }
            List<Object> present = new ArrayList<>(sources.size());
            for (Object source : sources) {
                if (source != null) {
                    present.add(source);
                }
            }
            Object[][] values = new Object[steps.size()][];
            for (int s = 0; s < steps.size(); s++) {
                Function<List<Object>, List<?>> batch = steps.get(s).batch;
                if (batch == null) {
                    continue;
                }
                List<?> computed;
                try {
                    computed = batch.apply(present);
                } catch (RuntimeException failed) { // the standard way calls it again and reports its failure as ever
                    throw new DoesNotFit();
                }
                if (computed == null || computed.size() != present.size()) {
                    throw new DoesNotFit();
                }
                Object[] bySource = new Object[sources.size()];
                int next = 0;
                for (int i = 0; i < sources.size(); i++) {
                    if (sources.get(i) != null) {
                        bySource[i] = computed.get(next++);
                    }
                }
                values[s] = bySource;
            }
            return values;
        }

        private List<Object> list(ExecutionContext context, Iterable<?> values, boolean nonNullElements, int[] counted)
                throws DoesNotFit, TooManyValues {
            List<Object> sources = new ArrayList<>(values instanceof List<?> known ? known.size() : 16);
            for (Object value : values) {
                sources.add(value);
            }
            Object[][] batches = batch(sources);
            List<Object> completed = new ArrayList<>(sources.size());
            for (int i = 0; i < sources.size(); i++) {
                Object value = sources.get(i);
                count(context, counted);
                if (value == null) {
                    if (nonNullElements) {
                        throw new DoesNotFit();
                    }
                    completed.add(null);
                } else {
                    completed.add(object(context, value, i, batches, counted));
                }
            }
            return completed;
        }

        /** The object {@code source}, the {@code index}th of those completed together (whose batched values are {@code batches}). */
        private Map<String, Object> object(ExecutionContext context, Object source, int index, Object[][] batches, int[] counted)
                throws DoesNotFit, TooManyValues {
            Map<String, Object> result = new LinkedHashMap<>(steps.size() * 2);
            for (int s = 0; s < steps.size(); s++) {
                Step step = steps.get(s);
                count(context, counted);
                if (step.typename != null) {
                    result.put(step.key, step.typename);
                    continue;
                }
                Object raw;
                if (step.batch != null) {
                    raw = batches[s][index];
                } else {
                    try {
                        raw = step.read.field().get(source);
                    } catch (IllegalAccessException | IllegalArgumentException e) {
                        throw new DoesNotFit();
                    }
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
                return step.nested.object(context, raw, 0, null, counted);
            }
            throw new DoesNotFit();
        }
    }
}
