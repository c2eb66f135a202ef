package dev.customersessions.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderRegistry;
import org.junit.jupiter.api.Test;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.execution.AsyncExecutionStrategy;
import graphql.execution.SimpleDataFetcherExceptionHandler;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;

/**
 * The fast path of {@link LeanListStrategy} (with {@link LeanFieldFetchers}) against graphql-java's own execution: the
 * same documents over the same data give the same answers, in the same key order, with the same errors. What this
 * pins is graphql-java's behaviour the strategy copies (field collection with fragments, aliases, {@code @skip} and
 * {@code @include}; {@code __typename}; the completion of scalars, enums, lists and nulls), and the batched fields it
 * computes itself instead of graphql-java's data loader dispatch (for an object alone and for lists of them), falling
 * back to the standard path when one fails or breaks a promise.
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

    /** A plain type with batched fields (as a session's totals are). */
    public static final class Order {
        public Integer id;
        public List<Line> lines;

        Order(int id, List<Line> lines) {
            this.id = id;
            this.lines = lines;
        }
    }

    /** The batched fields of Order: each computes its values for a list of orders in one call, as SmallRye's batches do. */
    private static final Map<String, Function<List<Object>, List<?>>> BATCHED = Map.of(
            "total", orders -> orders.stream().map(o -> ((Order) o).lines.stream().mapToInt(l -> l.required == null ? 0 : l.required).sum()).toList(),
            "count", orders -> orders.stream().map(o -> ((Order) o).id % 3 == 0 ? null : ((Order) o).lines.size()).toList(),
            "promised", orders -> orders.stream().map(o -> ((Order) o).id == 4 ? null : ((Order) o).id).toList(),
            "failing", orders -> {
                throw new IllegalStateException("the batch failed");
            },
            "items", orders -> orders.stream().map(o -> ((Order) o).lines.subList(0, 2)).toList());

    private static final String SDL = """
            type Query { lines: [Line!]!, maybeLines: [Line], order: Order, orders: [Order!]!, fourth: Order!, holders: [Holder!]! }
            type Holder { order: Order! }
            type Order { id: Int!, lines: [Line!]!, total: Int!, count: Int, promised: Int!, failing: Int, items: [Line!]! }
            type Line { sku: String, quantity: Int, kind: Kind, tags: [String], part: Part, required: Int!, lineId: ID }
            type Part { name: String }
            enum Kind { GOOD, SERVICE }
            """;

    private static final String[] DOCUMENTS = {
        "{ lines { sku quantity kind tags part { name } required lineId } }",
        "query($skip: Boolean!) { a: lines { ...L __typename n: sku sku @skip(if: $skip) } maybeLines { part { __typename name } } }"
                + " fragment L on Line { quantity ... on Line { kind tags } }",
        "{ lines { sku } maybeLines { sku required } }",
        "{ order { id total count items { sku required } lines { sku } } orders { __typename id t: total count items { part { name } } } }",
        "query($skip: Boolean!) { orders { ...O total @skip(if: $skip) } order { ...O } } fragment O on Order { count id total }",
        "{ order { id total } fourth { id promised } orders { id } }",
        "{ orders { id promised } }",
        "{ order { id failing } orders { id failing total } }",
        "{ holders { order { id total count } } }",
    };

    @Test
    void batchedFieldsAreComputedOnceForAllTheObjectsCompletedTogether() {
        AtomicInteger calls = new AtomicInteger();
        GraphQL lean = engine(lines(false), true, calls);
        ExecutionResult result = execute(lean, "{ orders { id total count } order { total } }");
        assertEquals("{data={orders=[{id=0, total=1225, count=null}, {id=1, total=1225, count=50}, {id=2, total=1225, count=50}, "
                + "{id=3, total=1225, count=null}, {id=4, total=1225, count=50}], order={total=1225}}}", result.toSpecification().toString());
        assertEquals(3, calls.get(), "total and count once for the list, total once for the order alone");
        calls.set(0);
        String held = execute(lean, "{ holders { order { id total } } }").toSpecification().toString();
        assertEquals(0, calls.get(), "orders inside a list of other objects are left to the data loader, which batches them all: " + held);
    }

    @Test
    void theFastPathAnswersAsGraphqlJavaDoes() {
        for (List<Object> maybe : List.of(lines(false), lines(true))) {
            GraphQL lean = engine(maybe, true);
            GraphQL standard = engine(maybe, false);
            for (String document : DOCUMENTS) {
                ExecutionResult expected = execute(standard, document);
                ExecutionResult actual = execute(lean, document);
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

    /** A document run with a data loader per batched field (as SmallRye registers them for every request). */
    private static ExecutionResult execute(GraphQL engine, String document) {
        DataLoaderRegistry loaders = new DataLoaderRegistry();
        BATCHED.forEach((name, batch) -> loaders.register(name, DataLoaderFactory.newDataLoader((List<Object> keys) -> {
            CompletableFuture<List<Object>> values = new CompletableFuture<>();
            try {
                values.complete(new ArrayList<>(batch.apply(keys)));
            } catch (RuntimeException failed) {
                values.completeExceptionally(failed);
            }
            return values;
        })));
        return engine.execute(ExecutionInput.newExecutionInput(document).variables(Map.of("skip", true)).dataLoaderRegistry(loaders));
    }

    private static GraphQL engine(List<Object> maybeLines, boolean lean) {
        return engine(maybeLines, lean, new AtomicInteger());
    }

    private static GraphQL engine(List<Object> maybeLines, boolean lean, AtomicInteger batchCalls) {
        List<Object> lines = lines(false);
        List<Line> orderLines = lines.stream().map(Line.class::cast).toList();
        List<Order> orders = List.of(new Order(0, orderLines), new Order(1, orderLines), new Order(2, orderLines), new Order(3, orderLines),
                new Order(4, orderLines));
        DataFetcher<Object> loaded = env -> env.getDataLoader(env.getField().getName()).load(env.getSource());
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(SDL), RuntimeWiring.newRuntimeWiring()
                .type("Query", t -> t.dataFetcher("lines", env -> lines).dataFetcher("maybeLines", env -> maybeLines)
                        .dataFetcher("order", env -> orders.get(1)).dataFetcher("orders", env -> orders).dataFetcher("fourth", env -> orders.get(4))
                        .dataFetcher("holders", env -> orders.stream().map(order -> Map.of(order, true)).toList()))
                .type("Holder", t -> t.dataFetcher("order", env -> ((Map<?, ?>) env.getSource()).keySet().iterator().next()))
                .type("Line", t -> t.defaultDataFetcher(env -> readField(env.getSource(), env.getField().getName())))
                .type("Part", t -> t.defaultDataFetcher(env -> readField(env.getSource(), env.getField().getName())))
                .type("Order", t -> t.dataFetcher("id", env -> readField(env.getSource(), "id")).dataFetcher("lines", env -> readField(env.getSource(), "lines"))
                        .defaultDataFetcher(loaded))
                .build());
        if (!lean) {
            return GraphQL.newGraphQL(schema).queryExecutionStrategy(new AsyncExecutionStrategy(new SimpleDataFetcherExceptionHandler())).build();
        }
        Map<String, Class<?>> plain = Map.of("Line", Line.class, "Part", Part.class, "Order", Order.class);
        List<EngineRegistration.BatchedField> batched = BATCHED.entrySet().stream().map(entry -> new EngineRegistration.BatchedField("Order",
                entry.getKey(), (List<Object> sources) -> {
                    batchCalls.incrementAndGet();
                    return entry.getValue().apply(sources);
                })).toList();
        return GraphQL.newGraphQL(LeanFieldFetchers.apply(schema, plain, List.of()))
                .queryExecutionStrategy(new LeanListStrategy(new SimpleDataFetcherExceptionHandler(), plain.keySet(), batched)).build();
    }

    private static Object readField(Object source, String name) throws ReflectiveOperationException {
        return source.getClass().getField(name).get(source);
    }
}
