package dev.customersessions.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import graphql.GraphQLContext;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.language.VariableDefinition;
import graphql.parser.Parser;
import graphql.schema.CoercingParseValueException;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.idl.TypeUtil;

import dev.customersessions.common.Validation;

/**
 * Every problem of a request's variables, each with its path ({@code input.cartItems.3.price}). graphql-java stops at
 * the first bad variable value and names only the variable; this walks the values the client sent against the
 * operation's variable types, with the same coercing the execution uses, and reports them all.
 */
final class VariableProblems {

    /** One bad value: where (variable name, then fields and list indexes) and what is wrong. */
    record Problem(List<String> path, String message) {
    }

    /** The most problems reported for one request: enough to fix a form, too few to make a large answer. */
    static final int MAX_PROBLEMS = 20;

    private final List<Problem> problems = new ArrayList<>();

    private VariableProblems() {
    }

    /** The problems of the variables sent with the operation; empty when none can be found (or it does not parse). */
    static List<Problem> of(GraphQLSchema schema, String query, String operationName, Map<String, Object> variables) {
        VariableProblems walk = new VariableProblems();
        OperationDefinition operation = operation(query, operationName);
        if (operation == null) {
            return List.of();
        }
        for (VariableDefinition definition : operation.getVariableDefinitions()) {
            GraphQLType type = typeOf(schema, definition.getType());
            if (type instanceof GraphQLInputType inputType) {
                boolean sent = variables != null && variables.containsKey(definition.getName());
                if (sent || definition.getDefaultValue() == null) {
                    walk.value(sent ? variables.get(definition.getName()) : null, inputType, List.of(definition.getName()));
                }
            }
        }
        return walk.problems;
    }

    private static OperationDefinition operation(String query, String operationName) {
        try {
            Document document = Parser.parse(query);
            List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
            return operations.stream().filter(o -> operationName == null || operationName.equals(o.getName()))
                    .findFirst().orElse(null);
        } catch (RuntimeException unparseable) {
            return null;
        }
    }

    private static GraphQLType typeOf(GraphQLSchema schema, graphql.language.Type<?> type) {
        if (type instanceof graphql.language.NonNullType nonNull) {
            GraphQLType inner = typeOf(schema, nonNull.getType());
            return inner == null ? null : GraphQLNonNull.nonNull(inner);
        }
        if (type instanceof graphql.language.ListType list) {
            GraphQLType inner = typeOf(schema, list.getType());
            return inner == null ? null : GraphQLList.list(inner);
        }
        return schema.getType(TypeUtil.unwrapAll(type).getName());
    }

    private void value(Object value, GraphQLInputType type, List<String> path) {
        if (type instanceof GraphQLNonNull nonNull) {
            if (value == null) {
                problem(path, "is required");
            } else {
                value(value, (GraphQLInputType) nonNull.getWrappedType(), path);
            }
            return;
        }
        if (value == null) {
            return;
        }
        if (type instanceof GraphQLList list) {
            GraphQLInputType element = (GraphQLInputType) list.getWrappedType();
            if (value instanceof List<?> values) {
                for (int i = 0; i < values.size(); i++) {
                    value(values.get(i), element, with(path, Integer.toString(i)));
                }
            } else {
                value(value, element, path);
            }
        } else if (type instanceof GraphQLInputObjectType object) {
            if (!(value instanceof Map<?, ?> fields)) {
                problem(path, "must be an object (" + object.getName() + ")");
                return;
            }
            for (Object name : fields.keySet()) {
                if (object.getField(String.valueOf(name)) == null) {
                    problem(with(path, String.valueOf(name)), "is not a field of " + object.getName());
                }
            }
            for (GraphQLInputObjectField field : object.getFieldDefinitions()) {
                value(fields.get(field.getName()), field.getType(), with(path, field.getName()));
            }
        } else if (type instanceof GraphQLScalarType scalar) {
            try {
                scalar.getCoercing().parseValue(value, GraphQLContext.getDefault(), Locale.ENGLISH);
            } catch (CoercingParseValueException | IllegalArgumentException e) {
                problem(path, e.getMessage());
            }
        } else if (type instanceof GraphQLEnumType enumeration) {
            if (!(value instanceof String name) || enumeration.getValue(name) == null) {
                problem(path, "must be one of " + enumeration.getValues().stream().map(v -> v.getName()).toList()
                        + ", got " + Validation.quotedValue(value));
            }
        }
    }

    private void problem(List<String> path, String message) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new Problem(path, message));
        }
    }

    private static List<String> with(List<String> path, String segment) {
        List<String> longer = new ArrayList<>(path.size() + 1);
        longer.addAll(path);
        longer.add(segment);
        return List.copyOf(longer);
    }
}
