package dev.customersessions.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a feature tells the engine about its part of the schema: its fast paths past SmallRye's standard path and its
 * paged listings. A feature provides one as a CDI bean in its own package; {@link GraphQLEngineRules} consults every
 * such bean when the schema and the engine are built, so the engine names no feature's types or fields. A feature
 * registers the classes of its {@link #plainTypes()} for the native image itself ({@code @RegisterForReflection}).
 */
public interface EngineRegistration {

    /**
     * GraphQL object types whose fields are public Java fields of the same name, needing no conversion beyond their
     * scalar's: read directly ({@link LeanFieldFetchers}) and, in lists, completed in one pass ({@link LeanListStrategy}).
     * GraphQL type name → the class that serves it.
     */
    default Map<String, Class<?>> plainTypes() {
        return Map.of();
    }

    /**
     * The fields that list a page of nodes: their {@code first} (or the default page size) counts against
     * {@link RequestLimitsConfig#listedNodes()} before the request runs ({@link RequestPolicyInstrumentation}).
     */
    default Set<String> pagedListings() {
        return Set.of();
    }

    /** Input-object arguments bound from graphql-java's coerced values before SmallRye's fetcher sees them. */
    default List<BoundArgument> boundArguments() {
        return List.of();
    }

    /**
     * Fields of the plain types that are resolved in batches (one call for all the objects of a request level), which a
     * plain type's one-pass completion ({@link LeanListStrategy}) may compute itself: one call with the objects it
     * completes, instead of one data loader load per object and a dispatch. The call must be what the field's own
     * resolver does (the same method, with its interceptors), so that the answer is the same; when it throws, the
     * objects are completed the standard way and the resolver reports its failure as ever.
     */
    default List<BatchedField> batchedFields() {
        return List.of();
    }

    /**
     * The field {@code type.field} (without arguments), resolved for a list of objects of {@code type} by
     * {@code values}: one value per object, in their order.
     */
    record BatchedField(String type, String field, Function<List<Object>, List<?>> values) {
    }

    /**
     * The argument {@code argument} of {@code type.field}, bound by {@code binder} from the map graphql-java coerced;
     * the binder returns null for anything it does not expect, and SmallRye binds that argument as ever.
     */
    record BoundArgument(String type, String field, String argument, Function<Map<?, ?>, Object> binder) {
    }
}
