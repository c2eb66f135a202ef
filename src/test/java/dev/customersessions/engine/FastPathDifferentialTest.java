package dev.customersessions.engine;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.vars;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.FieldDefinition;
import graphql.language.FragmentDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.OperationDefinition;
import graphql.language.VariableDefinition;
import graphql.parser.Parser;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.TypeUtil;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.http.Header;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The fast paths ({@link LeanListStrategy}, {@link LeanFieldFetchers}, the input binding of
 * {@code updateCustomerSession}) against the standard execution of graphql-java and SmallRye: every document is sent
 * over HTTP twice, as is and with {@code X-Standard-Execution: true} ({@link ExecutionPath}), and the two answers must
 * be the same bytes, with the same status and headers. The documents: every query the tests and the docs use (the
 * files under src/test/resources, the {@code graphql} blocks of README.md and docs/), the shapes of GraphQL in
 * {@code graphql/differential/crafted.graphql} (fragments, aliases, {@code @skip}/{@code @include} both ways,
 * {@code __typename} in lists, nested lists, errors, nulls, pages), a few hundred random selections over the read
 * schema (seeded; the seed is printed, {@code -Ddifferential.seed=} repeats a run), and a sequence of updates applied
 * to two sessions prepared identically. Each standard answer must also have been served with the fast paths standing
 * aside ({@link ExecutionPath#stoodAside()}), and each fast one without: a header that changed nothing would make
 * every comparison pass.
 *
 * <p>Rate limits are off in this test's profile: their {@code extensions.cost.throttleStatus} says how much of the
 * budget is left, which differs between any two requests by nature. The profile also lowers the cart lines one
 * request may read, so that a page holding both large carts fails inside the list.
 */
@QuarkusTest
@TestProfile(FastPathDifferentialTest.Comparable.class)
class FastPathDifferentialTest {

    public static class Comparable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("customer-sessions.rate-limits.enabled", "false", "customer-sessions.limits.cart-lines", "100");
        }
    }

    private static final long DEFAULT_SEED = 20261206L;
    private static final int GENERATED = 300;
    private static final Pattern GRAPHQL_BLOCK = Pattern.compile("```graphql\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern SPREAD = Pattern.compile("\\.\\.\\.\\s*([_A-Za-z][_0-9A-Za-z]*)");

    /** The prepared application and sessions, made once for the class's tests. */
    private static Prepared prepared;

    /** One answer as the client sees it. */
    record Answer(int status, Map<String, String> headers, byte[] body, long stoodAside) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        boolean hasErrors() {
            return text().contains("\"errors\":");
        }
    }

    /** One request of the corpus. */
    record Exchange(String label, String authorization, String document, String operationName, Map<String, Object> variables,
            String accept) {
    }

    /** What a run of a corpus found. */
    private static final class Outcome {
        int documents;
        int compared;
        int withErrors;
        /** Pairs answered with data whose standard execution had the fast paths stand aside. */
        int answeredWithData;
        int stoodAside;
        final List<String> differences = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();

        void assertNoDifference(String corpus) {
            System.out.printf("FastPathDifferentialTest %s: %d documents, %d pairs compared (%d with errors), %d blocks skipped%n",
                    corpus, documents, compared, withErrors, skipped.size());
            assertTrue(differences.isEmpty(), differences.size() + " of " + compared + " pairs differ; the first:\n"
                    + String.join("\n\n", differences.subList(0, Math.min(3, differences.size()))));
            // Most answers with data read a plain type: with the header, its fast paths stood aside.
            assertTrue(stoodAside * 2 > answeredWithData, "the standard execution stood the fast paths aside in " + stoodAside + " of "
                    + answeredWithData + " answers with data");
        }
    }

    // ---------------------------------------------------------------- (a) the documents of the tests and the docs

    @Test
    void theDocumentsOfTheTestsAndDocsAnswerTheSameBothWays() throws IOException {
        Prepared data = prepared();
        Map<String, String> fragments = fragments();
        Outcome outcome = new Outcome();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("src/test/resources"))) {
            files = walk.filter(path -> path.toString().endsWith(".graphql")).sorted().toList();
        }
        for (Path file : files) {
            runQueries(file.toString(), Files.readString(file, StandardCharsets.UTF_8), fragments, data, outcome);
        }
        for (Path page : markdown()) {
            Matcher blocks = GRAPHQL_BLOCK.matcher(Files.readString(page, StandardCharsets.UTF_8));
            for (int i = 1; blocks.find(); i++) {
                runQueries(page + " block " + i, blocks.group(1), fragments, data, outcome);
            }
        }
        outcome.assertNoDifference("documents of the tests and docs");
        assertTrue(outcome.documents >= 40, "found the corpus: " + outcome.documents + " query documents");
    }

    private static List<Path> markdown() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /**
     * Runs each query of a document text with every variable set the prepared data gives it, with the application's
     * secret key (and, when it names no session, the management key too); a text that is no document is skipped.
     */
    private static void runQueries(String source, String text, Map<String, String> fragments, Prepared data, Outcome outcome) {
        Document document;
        try {
            document = Parser.parse(text);
        } catch (RuntimeException notADocument) { // a block of the docs that shows part of a document
            outcome.skipped.add(source);
            return;
        }
        for (Definition<?> definition : document.getDefinitions()) {
            if (!(definition instanceof OperationDefinition operation) || operation.getOperation() != OperationDefinition.Operation.QUERY) {
                continue;
            }
            outcome.documents++;
            String sent = document.getDefinitions().stream().filter(d -> d instanceof OperationDefinition).count() == 1
                    ? withFragments(text, fragments) : withFragments(AstPrinter.printAst(operation), fragments);
            List<String> names = operation.getVariableDefinitions().stream().map(VariableDefinition::getName).toList();
            boolean namesSession = names.contains("integrationId") || names.contains("id");
            for (Map<String, Object> variables : variableSets(names, data)) {
                compare(new Exchange(source + " " + operation.getName(), data.shop.authorization(), sent, operation.getName(), variables,
                        outcome.compared % 3 == 0 ? GraphQLHttpHandler.GRAPHQL_RESPONSE_JSON : null), outcome);
                if (!namesSession) {
                    compare(new Exchange(source + " " + operation.getName() + " (management)", MANAGEMENT, sent, operation.getName(), variables,
                            null), outcome);
                }
            }
        }
    }

    /** The text with the fragments it spreads (and they spread) that it does not define itself. */
    private static String withFragments(String text, Map<String, String> fragments) {
        StringBuilder document = new StringBuilder(text);
        List<String> added = new ArrayList<>();
        for (boolean more = true; more;) {
            more = false;
            Matcher spreads = SPREAD.matcher(document.toString());
            while (spreads.find()) {
                String name = spreads.group(1);
                if (!name.equals("on") && fragments.containsKey(name) && !added.contains(name)
                        && !document.toString().contains("fragment " + name + " ")) {
                    added.add(name);
                    document.append('\n').append(fragments.get(name));
                    more = true;
                    break;
                }
            }
        }
        return document.toString();
    }

    /** Every fragment of the test resources' shared files, by name. */
    private static Map<String, String> fragments() {
        Map<String, String> fragments = new HashMap<>();
        for (String file : List.of("SessionFields.fragment", "differential/crafted", "differential/twins")) {
            for (Definition<?> definition : Parser.parse(GraphQLClient.document(file)).getDefinitions()) {
                if (definition instanceof FragmentDefinition fragment) {
                    fragments.put(fragment.getName(), AstPrinter.printAst(fragment));
                }
            }
        }
        return fragments;
    }

    /**
     * The variables for an operation: a session named by {@code integrationId} or {@code id} is each prepared one in
     * turn (and one that does not exist), a Boolean named {@code yes}/{@code no} or {@code dry} is each value in turn;
     * the rest have one value each.
     */
    private static List<Map<String, Object>> variableSets(List<String> names, Prepared data) {
        List<Map<String, Object>> sets = new ArrayList<>();
        sets.add(new HashMap<>());
        for (String name : names) {
            List<Object> values = switch (name) {
                case "integrationId", "id" -> new ArrayList<>(data.sessions);
                case "yes", "no", "dry", "skip" -> Arrays.asList(true, false);
                case "first" -> Arrays.asList(3);
                case "state" -> Arrays.asList("open", "closed", "cancelled", "merged", null);
                case "applicationId" -> Arrays.asList(String.valueOf(data.shop.id));
                case "endpointId" -> Arrays.asList("1");
                case "notAnInt" -> Arrays.asList("three");
                default -> Arrays.asList((Object) null); // sessionToken, token, after, filter, status, ...
            };
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> set : sets) {
                for (Object value : values) {
                    Map<String, Object> extended = new HashMap<>(set);
                    extended.put(name, value);
                    next.add(extended);
                }
            }
            sets = next;
        }
        return sets;
    }

    // ---------------------------------------------------------------- (b) random selections over the read schema

    @Test
    void randomSelectionsOverTheReadSchemaAnswerTheSameBothWays() throws IOException {
        Prepared data = prepared();
        long seed = Long.getLong("differential.seed", DEFAULT_SEED);
        System.out.println("FastPathDifferentialTest seed=" + seed + " (repeat with -Ddifferential.seed=" + seed + ")");
        Generator generator = new Generator(new SchemaParser().parse(Files.readString(Path.of("schema.graphql"))), new Random(seed));
        Random choice = new Random(seed + 1);
        Outcome outcome = new Outcome();
        for (int i = 0; i < GENERATED; i++) {
            Generator.Generated generated = generator.document(i);
            Map<String, Object> variables = new HashMap<>(generated.variables());
            if (generated.listing()) {
                variables.put("first", 1 + choice.nextInt(6));
                variables.put("after", data.cursors.get(choice.nextInt(data.cursors.size())));
            } else {
                variables.put("integrationId", data.sessions.get(choice.nextInt(data.sessions.size())));
            }
            outcome.documents++;
            compare(new Exchange("generated #" + i + " (seed " + seed + ")", data.shop.authorization(), generated.text(),
                    null, variables, i % 4 == 0 ? GraphQLHttpHandler.GRAPHQL_RESPONSE_JSON : null), outcome);
        }
        outcome.assertNoDifference("random selections");
        // Most generated selections must be valid and answered: else the comparison would be of error messages only.
        assertTrue(outcome.answeredWithData >= GENERATED * 3 / 4, outcome.answeredWithData + " of " + GENERATED + " answered without errors");
    }

    /**
     * Random documents over the read schema (the committed schema.graphql): a session or a page of sessions, with a
     * random selection of fields at every level, aliases (the same field twice among them), {@code __typename}, inline
     * and named fragments and {@code @skip}/{@code @include} with variables that are true or false.
     */
    static final class Generator {
        record Generated(String text, Map<String, Object> variables, boolean listing) {
        }

        private final TypeDefinitionRegistry schema;
        private final Random random;
        private int aliases;
        private int counter;
        private final Map<String, Object> variables = new LinkedHashMap<>();
        private final List<String> fragments = new ArrayList<>();

        Generator(TypeDefinitionRegistry schema, Random random) {
            this.schema = schema;
            this.random = random;
        }

        Generated document(int index) {
            aliases = 0;
            counter = 0;
            variables.clear();
            fragments.clear();
            boolean listing = random.nextInt(3) == 0;
            String root;
            if (listing) {
                StringBuilder page = new StringBuilder();
                if (random.nextBoolean()) {
                    page.append(" nodes { ").append(selection("CustomerSession", 1)).append(" }");
                }
                if (page.isEmpty() || random.nextBoolean()) {
                    page.append(" edges { ").append(random.nextBoolean() ? "cursor " : "").append("node { ")
                            .append(selection("CustomerSession", 2)).append(" } }");
                }
                if (random.nextBoolean()) {
                    page.append(" pageInfo { hasNextPage endCursor }");
                }
                root = "customerSessions(first: $first, after: $after) {" + page + " }";
            } else {
                root = "customerSession(integrationId: $integrationId) { " + selection("CustomerSession", 1) + " }";
            }
            StringBuilder declared = new StringBuilder(listing ? "$first: Int, $after: String" : "$integrationId: String!");
            variables.keySet().forEach(name -> declared.append(", $").append(name).append(": Boolean!"));
            String text = "query Generated" + index + "(" + declared + ") { " + root + " }" + (fragments.isEmpty() ? "" : "\n" + String.join("\n", fragments));
            return new Generated(text, Map.copyOf(variables), listing);
        }

        /** 1 to 6 fields of the type (repeats allowed), each possibly aliased, conditional or in a fragment. */
        private String selection(String typeName, int depth) {
            List<FieldDefinition> fields = ((ObjectTypeDefinition) schema.getType(typeName).orElseThrow()).getFieldDefinitions();
            StringBuilder selection = new StringBuilder();
            int count = 1 + random.nextInt(Math.min(6, fields.size()));
            for (int i = 0; i < count; i++) {
                FieldDefinition field = fields.get(random.nextInt(fields.size()));
                String fieldType = TypeUtil.unwrapAll(field.getType()).getName();
                boolean object = schema.getType(fieldType).orElse(null) instanceof ObjectTypeDefinition;
                if (object && depth >= 4) {
                    continue;
                }
                StringBuilder one = new StringBuilder();
                if (aliases < 20 && random.nextInt(4) == 0) {
                    aliases++;
                    one.append(field.getName()).append("_").append(counter++).append(": ");
                }
                one.append(field.getName());
                if (random.nextInt(6) == 0) {
                    one.append(condition());
                }
                if (object) {
                    one.append(" { ").append(selection(fieldType, depth + 1)).append(" }");
                }
                selection.append(wrapped(typeName, one.toString())).append(' ');
            }
            if (selection.isEmpty() || random.nextInt(6) == 0) {
                selection.append("__typename ");
            }
            return selection.toString().trim();
        }

        /** The field as it is, in an inline fragment (with or without type condition and directive) or a named one. */
        private String wrapped(String typeName, String field) {
            return switch (random.nextInt(10)) {
                case 0 -> "... on " + typeName + " { " + field + " }";
                case 1 -> "..." + condition() + " { " + field + " }";
                case 2 -> {
                    String name = "F" + counter++;
                    fragments.add("fragment " + name + " on " + typeName + " { " + field + " }");
                    yield "..." + name;
                }
                default -> field;
            };
        }

        private String condition() {
            boolean value = random.nextBoolean();
            String name = value ? "yes" : "no";
            variables.put(name, value);
            return (random.nextBoolean() ? " @skip(if: $" : " @include(if: $") + name + ")";
        }
    }

    // ---------------------------------------------------------------- (c) updates: the input binding

    /**
     * The same updates, in the same order, on two sessions prepared identically: {@code twin} of two applications of
     * the same shape, one updated through the fast paths, the other the standard way. The answers select every field
     * but those that differ by nature between two applications (ids, the application's id, times), so they must be
     * the same bytes; so must the stored sessions read back, both ways.
     */
    @Test
    void updatesBindAndStoreTheSameBothWays() {
        TestApplication fast = TestApplication.create();
        TestApplication standard = TestApplication.create();
        Map<String, Object> start = vars("profileId", "twin-profile", "couponCodes", List.of("START"),
                "cartItems", List.of(vars("sku", "BASE", "quantity", 1, "price", "5")));
        assertEquals(fast.updateOk("twin", start).get("version"), standard.updateOk("twin", start).get("version"));

        Map<String, Object> everything = vars("profileId", "p-1", "couponCodes", List.of("SAVE10", "FREESHIP"), "referralCode", "REF-1",
                "loyaltyCards", List.of("card-1", "card-2"), "state", "open", "identifiers", List.of("device-1"),
                "attributes", List.of(Map.of("name", "city", "stringValue", "Berlin"), Map.of("name", "giftWrap", "booleanValue", true),
                        Map.of("name", "weightFactor", "numberValue", "0.75"),
                        Map.of("name", "deliveryDate", "timeValue", "2026-12-24T10:00:00+01:00"),
                        Map.of("name", "tags", "stringListValue", List.of("sale", "new")),
                        Map.of("name", "scores", "numberListValue", List.of("1", "2.50", "-3"))),
                "additionalCosts", List.of(Map.of("name", "shipping", "price", "4.95"), Map.of("name", "wrap", "price", "1.10")),
                "cartItems", List.of(
                        vars("sku", "SKU-1", "name", "Shoe", "category", "shoes", "quantity", 2, "price", "59.95", "product", Map.of("name", "Runner"),
                                "weight", "1.5", "height", "0.12", "width", "0.3", "length", "0.35",
                                "attributes", List.of(Map.of("name", "color", "stringValue", "red"), Map.of("name", "size", "numberValue", "42.5")),
                                "additionalCosts", List.of(Map.of("name", "handling", "price", "0.5"), Map.of("name", "wrap", "price", "2"))),
                        vars("sku", "SKU-2", "quantity", 1, "price", "0.99"),
                        vars("sku", "SKU-3", "quantity", 10, "price", "1000000.001", "product", vars("name", null), "attributes", List.of())));
        Map<String, Object> nulls = vars("profileId", null, "couponCodes", null, "referralCode", null, "loyaltyCards", null, "state", null,
                "identifiers", null, "attributes", null, "additionalCosts", null,
                "cartItems", List.of(vars("sku", "SKU-1", "name", null, "category", null, "quantity", 3, "price", "59.95", "product", null,
                        "weight", null, "height", null, "width", null, "length", null, "attributes", null, "additionalCosts", null)));
        List<Object[]> steps = List.of(
                new Object[] {"TwinUpdate", vars("input", everything)},
                new Object[] {"TwinUpdate", vars("input", Map.of("couponCodes", List.of("ONLY-COUPONS")))},
                // every session-level field in the shapes the binding takes (it leaves anything else to SmallRye)
                new Object[] {"TwinUpdate", vars("input", Map.of("profileId", "p-2", "referralCode", "REF-2", "loyaltyCards", List.of("card-3"),
                        "identifiers", List.of("device-2"), "additionalCosts", List.of(Map.of("name", "shipping", "price", "3.50")),
                        "cartItems", List.of(vars("sku", "SKU-9", "quantity", 2, "price", "9.99"))))},
                new Object[] {"TwinUpdate", vars("input", nulls)},
                new Object[] {"TwinUpdate", vars("input", everything, "dry", true)},
                new Object[] {"TwinUpdate", vars("input", Map.of())},
                new Object[] {"TwinUpdate", vars("input", Map.of("couponCodes", List.of(), "cartItems", List.of()))},
                new Object[] {"TwinUpdateLiteral", vars()},
                new Object[] {"TwinUpdateMixed", vars("profile", "mixed", "coupon", "VAR", "items",
                        List.of(vars("sku", "MIX", "quantity", 4, "price", "2.25", "additionalCosts", List.of(Map.of("name", "handling", "price", "1")))))},
                new Object[] {"TwinUpdateMixed", vars("profile", null, "coupon", "VAR2", "items", null)},
                // refused by the rules: userErrors, nothing stored
                new Object[] {"TwinUpdate", vars("input", Map.of("attributes", List.of(Map.of("name", "undefined", "stringValue", "x"))))},
                new Object[] {"TwinUpdate", vars("input", Map.of("cartItems", List.of(vars("sku", "NEG", "quantity", -1, "price", "1"))))},
                new Object[] {"TwinUpdate", vars("input", Map.of("additionalCosts", List.of(Map.of("name", "handling", "price", "1"))))},
                // values of other types and shapes: refused before execution, or coerced by graphql-java (a number as a Decimal, a
                // single value as a list of one)
                new Object[] {"TwinUpdate", vars("input", Map.of("cartItems", List.of(vars("sku", "X", "quantity", "two", "price", "1"))))},
                new Object[] {"TwinUpdate", vars("input", Map.of("cartItems", List.of(vars("sku", "X", "quantity", 1, "price", 1.5))))},
                new Object[] {"TwinUpdate", vars("input", Map.of("colour", "red"))},
                new Object[] {"TwinUpdate", vars("input", Map.of("state", "bogus"))},
                new Object[] {"TwinUpdate", vars("input", Map.of("attributes", List.of(Map.of("name", "deliveryDate", "timeValue", "tomorrow"))))},
                new Object[] {"TwinUpdate", vars("input", Map.of("couponCodes", "NOT-A-LIST"))},
                new Object[] {"TwinUpdate", vars("input", Map.of("cartItems", List.of(Map.of("quantity", 1))))},
                // and the state machine through the binding
                new Object[] {"TwinUpdate", vars("input", Map.of("state", "closed"))},
                new Object[] {"TwinUpdate", vars("input", Map.of("couponCodes", List.of("AFTER-CLOSE")))});
        Outcome outcome = new Outcome();
        Map<String, String> fragments = fragments();
        for (Object[] step : steps) {
            String operation = (String) step[0];
            @SuppressWarnings("unchecked")
            Map<String, Object> variables = new HashMap<>((Map<String, Object>) step[1]);
            variables.put("integrationId", "twin");
            String document = withFragments(GraphQLClient.document("differential/twins"), fragments);
            Answer viaFastPaths = send(fast.authorization(), document, operation, variables, null, false);
            Answer viaStandard = send(standard.authorization(), document, operation, variables, null, true);
            outcome.documents++;
            check(new Exchange(operation + " " + variables, null, document, operation, variables, null), viaFastPaths, viaStandard, outcome);
            assertTrue(!viaStandard.text().contains("\"updateCustomerSession\":") || viaStandard.stoodAside() > 0,
                    "the standard update was bound by SmallRye: " + variables);
            // The two stored sessions, each read the same way: through the fast paths, then the standard way.
            for (boolean standardRead : List.of(false, true)) {
                Map<String, Object> read = vars("integrationId", "twin");
                same(new Exchange("stored after " + operation + " " + variables + ", read " + (standardRead ? "the standard way" : "through the fast paths")
                        + " (as fast: the twin updated through the fast paths; as standard: the other)", null, document,
                        "TwinRead", read, null), send(fast.authorization(), document, "TwinRead", read, null, standardRead),
                        send(standard.authorization(), document, "TwinRead", read, null, standardRead), outcome);
            }
        }
        outcome.assertNoDifference("updates of twin sessions");
        String stored = send(fast.authorization(), GraphQLClient.document("differential/twins"), "TwinRead", vars("integrationId", "twin"), null,
                false).text();
        // The updates were applied (a single value for a list is a list of one, as GraphQL coerces inputs), then refused once closed.
        assertTrue(stored.contains("\"state\":\"closed\"") && stored.contains("\"couponCodes\":[\"NOT-A-LIST\"]"), "the updates were applied: " + stored);
    }

    // ---------------------------------------------------------------- sending and comparing

    /** Sends the exchange both ways (in an order that alternates) and compares. */
    private static void compare(Exchange exchange, Outcome outcome) {
        boolean standardFirst = outcome.compared % 2 == 1;
        Answer first = send(exchange, standardFirst);
        Answer second = send(exchange, !standardFirst);
        Answer fast = standardFirst ? second : first;
        Answer standard = standardFirst ? first : second;
        check(exchange, fast, standard, outcome);
    }

    /** Compares an answer through the fast paths with one the standard way. */
    private static void check(Exchange exchange, Answer fast, Answer standard, Outcome outcome) {
        assertEquals(0, fast.stoodAside(), () -> "no fast path stands aside without the header: " + exchange.label());
        if (fast.hasErrors()) {
            outcome.withErrors++;
        } else {
            outcome.answeredWithData++;
            if (standard.stoodAside() > 0) {
                outcome.stoodAside++;
            }
        }
        same(exchange, fast, standard, outcome);
    }

    /** Records a difference of status, headers or body between two answers that must be the same. */
    private static void same(Exchange exchange, Answer one, Answer other, Outcome outcome) {
        outcome.compared++;
        if (one.status() != other.status() || !one.headers().equals(other.headers()) || !Arrays.equals(one.body(), other.body())) {
            outcome.differences.add(exchange.label() + "\n  variables: " + exchange.variables() + "\n  document: " + exchange.document()
                    + "\n  fast:     " + one.status() + " " + one.headers() + "\n            " + one.text()
                    + "\n  standard: " + other.status() + " " + other.headers() + "\n            " + other.text());
        }
    }

    private static Answer send(Exchange exchange, boolean standard) {
        return send(exchange.authorization(), exchange.document(), exchange.operationName(), exchange.variables(), exchange.accept(), standard);
    }

    private static Answer send(String authorization, String document, String operationName, Map<String, Object> variables, String accept,
            boolean standard) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", document);
        body.put("variables", variables);
        if (operationName != null) {
            body.put("operationName", operationName);
        }
        var request = given().contentType(ContentType.JSON).body(body);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (accept != null) {
            request.accept(accept);
        }
        if (standard) {
            request.header(StandardExecutionSwitch.HEADER, "true");
        }
        long before = ExecutionPath.stoodAside();
        Response response = request.post("/graphql");
        long stoodAside = ExecutionPath.stoodAside() - before;
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : response.headers()) {
            if (!header.getName().equalsIgnoreCase("date")) {
                headers.merge(header.getName().toLowerCase(java.util.Locale.ROOT), header.getValue(), (a, b) -> a + ", " + b);
            }
        }
        return new Answer(response.statusCode(), headers, response.asByteArray(), stoodAside);
    }

    // ---------------------------------------------------------------- the prepared data

    /** An application with sessions of every kind the read schema can show, and the cursors of its listing. */
    record Prepared(TestApplication shop, List<String> sessions, List<String> cursors) {
    }

    private static synchronized Prepared prepared() {
        if (prepared == null) {
            prepared = prepare();
        }
        return prepared;
    }

    private static Prepared prepare() {
        TestApplication shop = TestApplication.create();
        List<Map<String, Object>> lines = List.of(
                vars("sku", "SHOE", "name", "Runner shoe", "category", "shoes", "quantity", 2, "price", "59.95", "product", Map.of("name", "Runner"),
                        "weight", "1.5", "height", "0.12", "width", "0.3", "length", "0.35",
                        "attributes", List.of(Map.of("name", "color", "stringValue", "red"), Map.of("name", "size", "numberValue", "42.5")),
                        "additionalCosts", List.of(Map.of("name", "handling", "price", "1"), Map.of("name", "wrap", "price", "2.50"))),
                vars("sku", "SOCKS", "quantity", 3, "price", "9.99", "additionalCosts", List.of(Map.of("name", "handling", "price", "0.10"))),
                vars("sku", "CAP", "name", "Cap", "quantity", 1, "price", "15", "product", vars("name", null),
                        "attributes", List.of(Map.of("name", "a", "stringValue", "x"))),
                vars("sku", "GIFT", "quantity", 1, "price", "0"));
        Map<String, Object> full = vars("profileId", "dx-customer", "couponCodes", List.of("SAVE10", "FREESHIP"), "referralCode", "REF",
                "loyaltyCards", List.of("card-1"), "identifiers", List.of("device-1", "device-2"),
                "attributes", List.of(Map.of("name", "city", "stringValue", "Berlin"), Map.of("name", "giftWrap", "booleanValue", false),
                        Map.of("name", "weightFactor", "numberValue", "0.75"), Map.of("name", "deliveryDate", "timeValue", "2026-12-24T10:00:00+01:00"),
                        Map.of("name", "tags", "stringListValue", List.of("sale", "new")), Map.of("name", "scores", "numberListValue", List.of("1", "2.5"))),
                "additionalCosts", List.of(Map.of("name", "shipping", "price", "4.95"), Map.of("name", "wrap", "price", "1")),
                "cartItems", lines);
        shop.updateOk("dx-open", full);
        shop.updateOk("dx-closed", full);
        assertAccepted(shop.call("closeCustomerSession", vars("integrationId", "dx-closed")), "closeCustomerSession");
        assertAccepted(shop.call("returnCartItems", vars("integrationId", "dx-closed", "items",
                List.of(vars("position", 1, "quantity", 2), vars("position", 0, "quantity", 1)))), "returnCartItems");
        assertAccepted(shop.call("returnCartItems", vars("integrationId", "dx-closed", "items", List.of(vars("position", 0, "quantity", 1)))),
                "returnCartItems");
        shop.updateOk("dx-cancelled", Map.of("cartItems", lines.subList(0, 2), "couponCodes", List.of("X")));
        assertAccepted(shop.call("cancelCustomerSession", vars("integrationId", "dx-cancelled")), "cancelCustomerSession");
        shop.updateOk("dx-empty", Map.of());
        shop.updateOk("dx-guest", Map.of("cartItems", lines.subList(1, 3)));
        assertAccepted(shop.call("mergeCustomerSession", vars("integrationId", "dx-guest", "profileId", "dx-customer")), "mergeCustomerSession");
        for (String big : List.of("dx-big-1", "dx-big-2")) {
            List<Map<String, Object>> many = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                many.add(vars("sku", "B-" + i, "quantity", 1 + i % 4, "price", i + ".5" + i % 10));
            }
            shop.updateOk(big, Map.of("cartItems", many));
        }
        List<String> sessions = List.of("dx-open", "dx-closed", "dx-cancelled", "dx-empty", "dx-guest", "dx-big-1", "dx-big-2", "dx-missing");
        List<String> cursors = new ArrayList<>();
        cursors.add(null);
        JsonPath page = GraphQLClient.post(shop.authorization(), "customerSessions", vars("first", 100));
        cursors.addAll(page.getList("data.customerSessions.edges.cursor"));
        assertEquals(7, cursors.size() - 1, page::prettify);
        return new Prepared(shop, sessions, cursors);
    }

    private static void assertAccepted(JsonPath response, String mutation) {
        assertEquals(List.of(), response.getList("data." + mutation + ".userErrors"), response::prettify);
    }
}
