package dev.customersessions.engine;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;

import java.util.function.Supplier;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.LightDataFetcher;

import dev.customersessions.session.graphql.AdditionalCostType;
import dev.customersessions.session.graphql.AttributeType;
import dev.customersessions.session.graphql.CartItemReturnType;
import dev.customersessions.session.graphql.CartItemType;
import dev.customersessions.session.graphql.CustomerSessionType;
import dev.customersessions.session.graphql.InputBinding;
import dev.customersessions.session.graphql.ProductType;

/**
 * Plain field reads for the types a cart holds many of. SmallRye serves every field of an output type through a
 * data fetcher that first rebuilds its request context for that field (a copy of the context, the field's path as
 * text, the selected fields twice); on a flattened cart of 10,000 items that is several hundred thousand times per
 * request, more than all the rest of the work. These types' fields are public Java fields of the same name whose
 * values need no conversion beyond their scalar's (Decimal, enums), so they are read directly.
 */
final class LeanFieldFetchers {

    /** GraphQL type name → the class that serves it. Fields the class has no public field for keep their fetcher. */
    private static final Map<String, Class<?>> TYPES = Map.of(
            "CustomerSession", CustomerSessionType.class,
            "CartItem", CartItemType.class,
            "AdditionalCost", AdditionalCostType.class,
            "Attribute", AttributeType.class,
            "Product", ProductType.class,
            "CartItemReturn", CartItemReturnType.class,
            "ReturnedCartItem", CartItemReturnType.ReturnedCartItemType.class);

    private LeanFieldFetchers() {
    }

    /** The classes whose public fields are read (registered for the native image in {@link NativeReflection}). */
    static java.util.Collection<Class<?>> leanClasses() {
        return TYPES.values();
    }

    /** Whether the GraphQL type's fields are served by plain public-field reads (those that the class has). */
    static boolean isLean(String typeName) {
        return TYPES.containsKey(typeName);
    }

    static GraphQLSchema apply(GraphQLSchema schema) {
        GraphQLCodeRegistry.Builder registry = GraphQLCodeRegistry.newCodeRegistry(schema.getCodeRegistry());
        TYPES.forEach((typeName, type) -> {
            GraphQLObjectType objectType = schema.getObjectType(typeName);
            if (objectType == null) {
                throw new IllegalStateException("no type " + typeName + " in the schema");
            }
            for (GraphQLFieldDefinition definition : objectType.getFieldDefinitions()) {
                Field field = publicField(type, definition.getName());
                if (field != null) {
                    registry.dataFetcher(FieldCoordinates.coordinates(typeName, definition.getName()), new PublicField(field));
                }
            }
        });
        // The cart an update sends, bound without SmallRye's JSON round trip (InputBinding).
        FieldCoordinates update = FieldCoordinates.coordinates("Mutation", "updateCustomerSession");
        GraphQLFieldDefinition updateField = schema.getMutationType().getFieldDefinition("updateCustomerSession");
        registry.dataFetcher(update, InputBinding.aroundUpdate(schema.getCodeRegistry().getDataFetcher(update, updateField)));
        return schema.transform(builder -> builder.codeRegistry(registry.build()));
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
     * field's fetching environment for it.
     */
    record PublicField(Field field) implements LightDataFetcher<Object> {
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
