package dev.customersessions.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.execution.AsyncExecutionStrategy;
import graphql.execution.SimpleDataFetcherExceptionHandler;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;

/**
 * The fast path of {@link LeanListStrategy} (with {@link LeanFieldFetchers}) against graphql-java's own execution: the
 * same documents over the same data give the same answers, in the same key order, with the same errors. What this
 * pins is graphql-java's behaviour the strategy copies (field collection with fragments, aliases, {@code @skip} and
 * {@code @include}; {@code __typename}; the completion of scalars, enums, lists and nulls).
 */
class LeanListStrategyTest {

    /** A plain type: public fields named as the GraphQL fields. */
    public static final class Line {
        public String sku;
        public Integer quantity;
        public Kind kind;
        public List<String> tags;
        public Part part;
        public Integer required;
        /** Served as an ID (a string), as a cart line's lineId is. */
        public Integer lineId;

        Line(String sku, Integer quantity, Kind kind, List<String> tags, Part part, Integer required) {
            this.sku = sku;
            this.quantity = quantity;
            this.kind = kind;
            this.tags = tags;
            this.part = part;
            this.required = required;
            this.lineId = required == null ? null : required + 1;
        }
    }

    public static final class Part {
        public String name;

        Part(String name) {
            this.name = name;
        }
    }

    public enum Kind { GOOD, SERVICE }

    private static final String SDL = """
            type Query { lines: [Line!]!, maybeLines: [Line] }
            type Line { sku: String, quantity: Int, kind: Kind, tags: [String], part: Part, required: Int!, lineId: ID }
            type Part { name: String }
            enum Kind { GOOD, SERVICE }
            """;

    private static final String[] DOCUMENTS = {
        "{ lines { sku quantity kind tags part { name } required lineId } }",
        "query($skip: Boolean!) { a: lines { ...L __typename n: sku sku @skip(if: $skip) } maybeLines { part { __typename name } } }"
                + " fragment L on Line { quantity ... on Line { kind tags } }",
        "{ lines { sku } maybeLines { sku required } }",
    };

    @Test
    void theFastPathAnswersAsGraphqlJavaDoes() {
        for (List<Object> maybe : List.of(lines(false), lines(true))) {
            GraphQL lean = engine(maybe, true);
            GraphQL standard = engine(maybe, false);
            for (String document : DOCUMENTS) {
                Map<String, Object> variables = Map.of("skip", true);
                ExecutionResult expected = standard.execute(b -> b.query(document).variables(variables));
                ExecutionResult actual = lean.execute(b -> b.query(document).variables(variables));
                assertEquals(expected.toSpecification().toString(), actual.toSpecification().toString(), document);
            }
        }
    }

    /** 50 lines, with nulls where the schema allows them; with {@code broken}, one breaks a non-null promise. */
    private static List<Object> lines(boolean broken) {
        List<Object> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add(new Line("sku-" + i, i % 3 == 0 ? null : i, i % 2 == 0 ? Kind.GOOD : Kind.SERVICE,
                    i % 4 == 0 ? null : List.of("t" + i, "u"), i % 5 == 0 ? null : new Part("p" + i), broken && i == 7 ? null : i));
        }
        if (broken) {
            lines.add(null);
        }
        return lines;
    }

    private static GraphQL engine(List<Object> maybeLines, boolean lean) {
        List<Object> lines = lines(false);
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(SDL), RuntimeWiring.newRuntimeWiring()
                .type("Query", t -> t.dataFetcher("lines", env -> lines).dataFetcher("maybeLines", env -> maybeLines))
                .type("Line", t -> t.defaultDataFetcher(env -> readField(env.getSource(), env.getField().getName())))
                .type("Part", t -> t.defaultDataFetcher(env -> readField(env.getSource(), env.getField().getName())))
                .build());
        if (!lean) {
            return GraphQL.newGraphQL(schema).queryExecutionStrategy(new AsyncExecutionStrategy(new SimpleDataFetcherExceptionHandler())).build();
        }
        Map<String, Class<?>> plain = Map.of("Line", Line.class, "Part", Part.class);
        return GraphQL.newGraphQL(LeanFieldFetchers.apply(schema, plain, List.of()))
                .queryExecutionStrategy(new LeanListStrategy(new SimpleDataFetcherExceptionHandler(), Set.of("Line", "Part"))).build();
    }

    private static Object readField(Object source, String name) throws ReflectiveOperationException {
        return source.getClass().getField(name).get(source);
    }
}
