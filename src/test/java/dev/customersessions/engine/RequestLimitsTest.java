package dev.customersessions.engine;

import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.postDocument;
import static dev.customersessions.support.GraphQLClient.vars;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.GraphQLClient;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Every request limit of docs/limits.md, just inside and just outside, with and without credentials:
 * a request outside is refused whole, promptly, before any field runs, with LIMIT_EXCEEDED.
 */
@QuarkusTest
class RequestLimitsTest {

    private static void assertRefused(JsonPath response, String limitSetting) {
        assertEquals("LIMIT_EXCEEDED", response.getString("errors[0].extensions.code"), response::prettify);
        assertTrue(response.getString("errors[0].message").contains(limitSetting), response::prettify);
        assertNull(response.get("data"), response::prettify);
    }

    private static void assertServed(JsonPath response) {
        assertNull(response.get("errors"), response::prettify);
    }

    /** A query of the given depth: __schema, types, fields, type, then ofType down to the depth. */
    private static String depth(int depth) {
        StringBuilder query = new StringBuilder("{ __schema { types { fields { type { ");
        int opened = 4;
        for (; opened < depth - 1; opened++) {
            query.append("ofType { ");
        }
        query.append("name");
        return query + " }".repeat(opened) + " }";
    }

    @Test
    void depth() {
        assertServed(postDocument(null, depth(15), null));
        assertRefused(postDocument(null, depth(16), null), "customer-sessions.limits.depth");
    }

    @Test
    void fieldsAreCountedWithFragmentsExpanded() {
        assertServed(postDocument(null, "{ " + "__typename ".repeat(1000) + "}", null));
        assertRefused(postDocument(null, "{ " + "__typename ".repeat(1001) + "}", null), "customer-sessions.limits.fields");
        // 250 fields in a fragment spread 4 times is 1000 fields; 5 times is 1250.
        String fragment = " fragment F on Query { " + "__typename ".repeat(250) + "}";
        assertServed(postDocument(null, "{ ...F ...F ...F ...F }" + fragment, null));
        assertRefused(postDocument(null, "{ ...F ...F ...F ...F ...F }" + fragment, null), "customer-sessions.limits.fields");
    }

    /** 2 KB that expands to 2^40 fields, without credentials: refused at once, and the service is fine afterwards. */
    @Test
    void fragmentFanOutWithoutCredentials() {
        String fragments = IntStream.range(0, 40)
                .mapToObj(i -> "fragment F" + i + " on CustomerSession { ...F" + (i + 1) + " ...F" + (i + 1) + " }")
                .collect(Collectors.joining("\n"));
        String document = "query { customerSession(integrationId: \"x\") { ...F0 } }\n" + fragments
                + "\nfragment F40 on CustomerSession { id integrationId }";
        assertTrue(document.length() < 2500);
        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertRefused(postDocument(null, document, null), "customer-sessions.limits.fields");
        }
        assertTrue(System.nanoTime() - started < 10_000_000_000L, "20 refusals took more than 10 s");
        TestApplication shop = TestApplication.create();
        shop.updateOk("after-the-fan-out", Map.of());
        assertEquals(1, shop.stored("after-the-fan-out").get("version"));
    }

    @Test
    void aliases() {
        String thirty = IntStream.range(0, 30).mapToObj(i -> "a" + i + ": __typename").collect(Collectors.joining(" "));
        assertServed(postDocument(null, "{ " + thirty + " }", null));
        assertRefused(postDocument(null, "{ " + thirty + " a30: __typename }", null), "customer-sessions.limits.aliases");
    }

    /** Five mutations run; six are refused before any runs, so nothing of them is stored. */
    @Test
    void mutationsPerOperation() {
        TestApplication shop = TestApplication.create();
        assertServed(postDocument(shop.authorization(), mutations(5, "five"), null));
        assertEquals(1, shop.stored("five-4").get("version"));
        assertRefused(postDocument(shop.authorization(), mutations(6, "six"), null), "customer-sessions.limits.root-mutations");
        for (int i = 0; i < 6; i++) {
            assertNull(shop.stored("six-" + i));
        }
    }

    private static String mutations(int count, String prefix) {
        return "mutation { " + IntStream.range(0, count)
                .mapToObj(i -> "m" + i + ": updateCustomerSession(integrationId: \"" + prefix + "-" + i + "\", input: {}) { userErrors { code } }")
                .collect(Collectors.joining(" ")) + " }";
    }

    /** One page of 100 sessions with their carts is served; a second listing in the same request is refused. */
    @Test
    void listedNodes() {
        TestApplication shop = TestApplication.create();
        List<Map<String, Object>> cart = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            cart.add(vars("sku", "SKU-" + i, "quantity", 2, "price", "1.25"));
        }
        for (int i = 0; i < 100; i++) {
            shop.updateOk("listed-" + i, Map.of("cartItems", cart));
        }
        JsonPath page = shop.call("customerSessionsWithCarts", vars("first", 100));
        assertServed(page);
        assertEquals(100, page.getList("data.customerSessions.edges").size());
        assertEquals(20, page.getList("data.customerSessions.edges[99].node.cartItems").size());
        // first above the largest page counts as the largest page, as it is served
        assertServed(shop.call("customerSessionsWithCarts", vars("first", 500)));

        assertRefused(postDocument(shop.authorization(),
                "{ a: customerSessions(first: 100) { edges { cursor } } b: customerSessions(first: 1) { edges { cursor } } }", null),
                "customer-sessions.limits.listed-nodes");
        assertRefused(postDocument(shop.authorization(),
                "query($n: Int) { a: customerSessions(first: $n) { edges { cursor } } b: customerSessions { edges { cursor } } }",
                vars("n", 81)), "customer-sessions.limits.listed-nodes");
        assertServed(postDocument(shop.authorization(),
                "query($n: Int) { a: customerSessions(first: $n) { edges { cursor } } b: customerSessions { edges { cursor } } }",
                vars("n", 80)));
        // Int accepts 100.0 as 100, and so does the count
        assertRefused(postDocument(shop.authorization(),
                "{ a: customerSessions(first: 100.0) { edges { cursor } } b: customerSessions(first: 1) { edges { cursor } } }", null),
                "customer-sessions.limits.listed-nodes");

        // Fan-out the document does not show: 30 aliased carts under a page of 100 sessions of 20 items is about
        // 660,000 values. Refused whole; no partial answer.
        String carts = IntStream.range(0, 30)
                .mapToObj(i -> "c" + i + ": cartItems { sku name category quantity price position weight height width length }")
                .collect(Collectors.joining(" "));
        JsonPath fannedOut = postDocument(shop.authorization(), "{ customerSessions(first: 100) { edges { node { " + carts + " } } } }", null);
        assertEquals("LIMIT_EXCEEDED", fannedOut.getString("errors[0].extensions.code"), fannedOut::prettify);
        assertTrue(fannedOut.getString("errors[0].message").contains("customer-sessions.limits.result-values"), fannedOut::prettify);
        assertEquals(1, fannedOut.getList("errors").size(), fannedOut::prettify);
        assertNull(fannedOut.get("data"), fannedOut::prettify);
        // ten of them fit
        assertServed(postDocument(shop.authorization(), "{ customerSessions(first: 100) { edges { node { "
                + carts.substring(0, carts.indexOf("c10:")) + " } } } }", null));
    }

    /** Ten aliases of a page of 100 sessions with carts (the attack that took 5.6 s) are refused without credentials too. */
    @Test
    void aliasedPagesWithoutCredentials() {
        String pages = IntStream.range(0, 10)
                .mapToObj(i -> "p" + i + ": customerSessions(first: 100) { edges { node { id cartItems { sku } } } }")
                .collect(Collectors.joining(" "));
        assertRefused(postDocument(null, "{ " + pages + " }", null), "customer-sessions.limits.listed-nodes");
    }

    /** GraphiQL's schema query (graphql-js getIntrospectionQuery) fits every limit. */
    @Test
    void graphiqlSchemaQueryIsServed() {
        JsonPath response = post(null, "introspection", null);
        assertServed(response);
        assertTrue(response.getList("data.__schema.types").size() > 20);
    }

    /** A document of about {@code tokens} tokens but few fields: a list of coupon codes written out. */
    private static String tokens(int tokens) {
        return "mutation { updateCustomerSession(integrationId: \"t\", input: { couponCodes: [" + " \"c\"".repeat(tokens - 23)
                + " ] }) { userErrors { code } } }";
    }

    @Test
    void documentTokens() {
        // read, measured and run up to the credentials check
        JsonPath inside = postDocument(null, tokens(4_950), null);
        assertEquals("UNAUTHENTICATED", inside.getString("errors[0].extensions.code"), inside::prettify);
        JsonPath refused = postDocument(null, tokens(5_050), null);
        assertEquals("LIMIT_EXCEEDED", refused.getString("errors[0].extensions.code"), refused::prettify);
        assertTrue(refused.getString("errors[0].message").contains("customer-sessions.limits.document-tokens"), refused::prettify);
    }

    @Test
    void documentCharacters() {
        String query = "{ __typename }";
        assertServed(postDocument(null, query + " ".repeat(32_768 - query.length()), null));
        JsonPath refused = postDocument(null, query + " ".repeat(32_769 - query.length()), null);
        assertEquals("LIMIT_EXCEEDED", refused.getString("errors[0].extensions.code"), refused::prettify);
    }

    /**
     * A client that trickles its body a byte at a time (never idle long enough for the idle timeout) loses its
     * connection when the read deadline passes (3 s in tests, 20 s by default).
     */
    @Test
    void slowBodiesAreCutOff() throws Exception {
        int port = io.restassured.RestAssured.port;
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(500);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            boolean closed = false;
            while (!closed && System.nanoTime() - started < 15_000_000_000L) {
                try {
                    out.write(' ');
                    out.flush();
                    closed = socket.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // no answer yet: keep trickling
                } catch (java.io.IOException reset) {
                    closed = true;
                }
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            assertTrue(closed, "the connection was still open after 15 s");
            assertTrue(seconds >= 2, "closed after " + seconds + " s, before the deadline");
        }
        assertEquals("Query", postDocument(null, "{ __typename }", null).getString("data.__typename"));
    }

    /** Bodies above 1 MiB are refused by HTTP before anything reads them. */
    @Test
    void bodySize() {
        String padding = "x".repeat(1024 * 1024 - 100);
        String inside = "{\"query\":\"{ __typename }\",\"variables\":{\"p\":\"" + padding + "\"}}";
        given().contentType(ContentType.JSON).body(inside).post("/graphql").then().statusCode(200);
        String outside = "{\"query\":\"{ __typename }\",\"variables\":{\"p\":\"" + padding + "x".repeat(200) + "\"}}";
        given().contentType(ContentType.JSON).body(outside).post("/graphql").then().statusCode(413);
        assertEquals("Query", GraphQLClient.postDocument(null, "{ __typename }", null).getString("data.__typename"));
    }
}
