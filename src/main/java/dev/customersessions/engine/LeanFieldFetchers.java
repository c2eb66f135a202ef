package dev.customersessions.engine;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import graphql.GraphQLContext;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingEnvironmentImpl;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.LightDataFetcher;

/**
 * Plain field reads for the types features register as plain ({@link EngineRegistration#plainTypes()}: those a
 * cart holds many of), and arguments bound before SmallRye's fetcher ({@link EngineRegistration#boundArguments()}).
 * SmallRye serves every field of an output type through a data fetcher that first rebuilds its request context for
 * that field (a copy of the context, the field's path as text, the selected fields twice); on a flattened cart of
 * 10,000 items that is several hundred thousand times per request, more than all the rest of the work. These types' fields are public Java fields of the same name whose
 * values need no conversion beyond their scalar's (Decimal, enums), so they are read directly.
 *
 * <p>SmallRye binds an input object by writing the argument map out as JSON text and reading it back with JSON-B; it
 * passes an argument that already has its Java class through as it is, so a feature's binder can skip that round trip.
 */
final class LeanFieldFetchers {

    private LeanFieldFetchers() {
    }

    /** The plain types of every feature: GraphQL type name → the class that serves it. */
    static Map<String, Class<?>> plainTypes(Iterable<? extends EngineRegistration> features) {
        Map<String, Class<?>> types = new LinkedHashMap<>();
        for (EngineRegistration feature : features) {
            feature.plainTypes().forEach((name, type) -> {
                if (types.putIfAbsent(name, type) != null) {
                    throw new IllegalStateException("the plain type " + name + " is registered twice");
                }
            });
        }
        return types;
    }

    /** The schema with public-field reads for the plain types' fields and the arguments bound by the features. */
    static GraphQLSchema apply(GraphQLSchema schema, Map<String, Class<?>> plainTypes, List<EngineRegistration.BoundArgument> arguments) {
        GraphQLCodeRegistry.Builder registry = GraphQLCodeRegistry.newCodeRegistry(schema.getCodeRegistry());
        plainTypes.forEach((typeName, type) -> {
            GraphQLObjectType objectType = schema.getObjectType(typeName);
            if (objectType == null) {
                throw new IllegalStateException("no type " + typeName + " in the schema");
            }
            for (GraphQLFieldDefinition definition : objectType.getFieldDefinitions()) {
                Field field = publicField(type, definition.getName());
                if (field != null) {
                    FieldCoordinates coordinates = FieldCoordinates.coordinates(typeName, definition.getName());
                    registry.dataFetcher(coordinates, new PublicField(field, schema.getCodeRegistry().getDataFetcher(coordinates, definition)));
                }
            }
        });
        for (EngineRegistration.BoundArgument argument : arguments) {
            GraphQLObjectType objectType = schema.getObjectType(argument.type());
            GraphQLFieldDefinition definition = objectType == null ? null : objectType.getFieldDefinition(argument.field());
            if (definition == null || definition.getArgument(argument.argument()) == null) {
                throw new IllegalStateException("no argument " + argument.type() + "." + argument.field() + "(" + argument.argument() + ")");
            }
            FieldCoordinates coordinates = FieldCoordinates.coordinates(argument.type(), argument.field());
            registry.dataFetcher(coordinates, bindingFirst(schema.getCodeRegistry().getDataFetcher(coordinates, definition),
                    argument.argument(), argument.binder()));
        }
        return schema.transform(builder -> builder.codeRegistry(registry.build()));
    }

    /**
     * SmallRye's data fetcher, given the argument already bound when the binder binds it; in an execution that runs the
     * standard way ({@link ExecutionPath}), SmallRye binds it.
     */
    static DataFetcher<Object> bindingFirst(DataFetcher<?> smallRye, String name, Function<Map<?, ?>, Object> binder) {
        return environment -> {
            if (ExecutionPath.standard(environment.getGraphQlContext())) {
                return smallRye.get(environment);
            }
            Object bound = environment.getArgument(name) instanceof Map<?, ?> map ? binder.apply(map) : null;
            if (bound == null) {
                return smallRye.get(environment);
            }
            Map<String, Object> arguments = new LinkedHashMap<>(environment.getArguments());
            arguments.put(name, bound);
            return smallRye.get(DataFetchingEnvironmentImpl.newDataFetchingEnvironment(environment).arguments(arguments).build());
        };
    }

    /**
     * The data fetcher an execution uses for a field: the one given, except in an execution that runs the standard way
     * ({@link ExecutionPath}), where a public-field read gives way to the fetcher it replaced. One type check per
     * field, and one read of the context only for the public-field reads.
     */
    static DataFetcher<?> forExecution(DataFetcher<?> fetcher, GraphQLContext context) {
        return fetcher instanceof PublicField read && ExecutionPath.standard(context) ? read.replaced() : fetcher;
    }

    private static Field publicField(Class<?> type, String name) {
        try {
            Field field = type.getField(name);
            // Times keep SmallRye's fetcher, which formats them; they are few (a return's date).
            return Modifier.isStatic(field.getModifiers()) || field.getType().getName().startsWith("java.time.") ? null : field;
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    /**
     * Reads a public field of the source object. As a {@link LightDataFetcher}, graphql-java does not even build the
     * field's fetching environment for it. {@code replaced} is SmallRye's fetcher of the field, which an execution
     * that runs the standard way uses instead ({@link #forExecution}).
     */
    record PublicField(Field field, DataFetcher<?> replaced) implements LightDataFetcher<Object> {
        @Override
        public Object get(GraphQLFieldDefinition definition, Object source, Supplier<DataFetchingEnvironment> environment)
                throws IllegalAccessException {
            return source == null ? null : field.get(source);
        }

        @Override
        public Object get(DataFetchingEnvironment environment) throws IllegalAccessException {
            return get(null, environment.getSource(), () -> environment);
        }
    }
}
