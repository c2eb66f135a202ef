package dev.customersessions.auth;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.apiKey;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The table "Who may call what" of docs/access.md, run cell by cell: every operation with every kind of caller, as an
 * attacker would try it. A refusal must name its code, return no data, and leave the stored session as it was; "as if
 * missing" must be the same answer, byte for byte, as for an integrationId that does not exist.
 */
@QuarkusTest
class AccessMatrixTest {

    private static final Path DOC = Path.of("docs/access.md");
    private static final String ERASED_PROFILE = "erase-me@example.com";
    private static final List<String> ALL_SCOPES = List.of("READ_SESSIONS", "WRITE_SESSIONS", "CLOSE_SESSIONS", "CANCEL_SESSIONS",
            "RETURN_CART_ITEMS", "ISSUE_SESSION_TOKENS", "READ_APPLICATION", "ERASE_CUSTOMER_DATA");
    private static final List<String> CALLERS = List.of("secret", "restricted, with", "restricted, without", "publishable + its token",
            "publishable + another session's token", "publishable, no token", "publishable + guessed token", "management key", "no key");

    record Row(String operation, List<String> scopes, List<String> expected) {
    }

    static List<Row> table() throws IOException {
        String doc = Files.readString(DOC);
        String matrix = doc.substring(doc.indexOf("<!-- access-matrix:start -->"), doc.indexOf("<!-- access-matrix:end -->"));
        List<Row> rows = new ArrayList<>();
        List<String> lines = matrix.lines().filter(line -> line.startsWith("|")).toList();
        List<String> header = cells(lines.get(0));
        assertEquals(CALLERS, header.subList(2, header.size()), "the table's columns are the callers this test knows");
        for (String line : lines.subList(2, lines.size())) {
            List<String> cells = cells(line);
            List<String> scopes = cells.get(1).isBlank() ? List.of()
                    : Arrays.stream(cells.get(1).split(",")).map(s -> s.replace("`", "").trim()).toList();
            rows.add(new Row(cells.get(0), scopes, cells.subList(2, cells.size())));
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1, line.lastIndexOf('|'));
        return Arrays.stream(inner.split("\\|", -1)).map(String::trim).toList();
    }

    @TestFactory
    Stream<DynamicContainer> everyOperationWithEveryKindOfCaller() throws IOException {
        List<Row> rows = table();
        assertEquals(24, rows.size(), "every operation has its row");
        return rows.stream().map(row -> DynamicContainer.dynamicContainer(row.operation(),
                java.util.stream.IntStream.range(0, CALLERS.size()).mapToObj(column -> DynamicTest.dynamicTest(
                        CALLERS.get(column) + " → " + row.expected().get(column), () -> runCell(row, column)))));
    }

    /** One application and its keys per row: a secret key, restricted keys with and without the row's scopes, a publishable key. */
    private static final Map<String, Keys> KEYS = new HashMap<>();

    record Keys(TestApplication shop, String restrictedWith, String restrictedWithout, String publishable) {
    }

    private static Keys keys(Row row) {
        return KEYS.computeIfAbsent(row.operation(), name -> {
            TestApplication shop = TestApplication.create();
            List<String> with = row.scopes().isEmpty() ? List.of("READ_SESSIONS") : row.scopes();
            List<String> without = new ArrayList<>(ALL_SCOPES);
            if (!row.scopes().isEmpty()) {
                without.remove(row.scopes().get(row.scopes().size() - 1));
            }
            return new Keys(shop, createKey(shop, Map.of("kind", "RESTRICTED", "scopes", with)),
                    createKey(shop, Map.of("kind", "RESTRICTED", "scopes", without)), createKey(shop, Map.of("kind", "PUBLISHABLE")));
        });
    }

    static String createKey(TestApplication shop, Map<String, ?> input) {
        JsonPath created = post(MANAGEMENT, "createApiKey", vars("applicationId", String.valueOf(shop.id), "input", input));
        assertEquals(List.of(), created.getList("data.createApiKey.userErrors"), created::prettify);
        return created.getString("data.createApiKey.apiKey.key");
    }

    /** A session started by the shop's server, with an item; its token, as a page would hold it. */
    record Target(String integrationId, String token) {
    }

    private static Target target(TestApplication shop, String state) {
        JsonPath started = post(shop.authorization(), "startCustomerSession", vars("input",
                Map.of("cartItems", List.of(Map.of("sku", "shoe", "quantity", 2, "price", "19.99")))));
        assertEquals(List.of(), started.getList("data.startCustomerSession.userErrors"), started::prettify);
        Target target = new Target(started.getString("data.startCustomerSession.customerSession.integrationId"),
                started.getString("data.startCustomerSession.sessionToken"));
        if (state.equals("closed")) {
            assertEquals(List.of(), shop.call("closeCustomerSession", vars("integrationId", target.integrationId()))
                    .getList("data.closeCustomerSession.userErrors"));
        }
        return target;
    }

    private static void runCell(Row row, int column) {
        Keys keys = keys(row);
        TestApplication shop = keys.shop();
        String caller = CALLERS.get(column);
        String expected = row.expected().get(column);
        Webhook webhook = isWebhookRow(row) ? webhook(shop, row.operation().startsWith("`redeliverWebhook`")) : null;
        Target target = target(shop, row.operation().startsWith("`returnCartItems`") ? "closed" : "open");
        Target other = target(shop, "open");
        if (webhook != null && row.operation().startsWith("`redeliverWebhook`")) {
            webhook = webhook.withDelivery(awaitDelivery(webhook.endpointId()));
        }
        if (row.operation().startsWith("`eraseCustomerData`")) { // the customer whose data the call erases
            assertEquals(List.of(), shop.update(target.integrationId(), Map.of("profileId", ERASED_PROFILE))
                    .getList("data.updateCustomerSession.userErrors"));
        }
        String authorization = switch (caller) {
            case "secret" -> shop.authorization();
            case "restricted, with" -> apiKey(keys.restrictedWith());
            case "restricted, without" -> apiKey(keys.restrictedWithout());
            case "management key" -> MANAGEMENT;
            case "no key" -> null;
            default -> apiKey(keys.publishable());
        };
        String token = switch (caller) {
            case "publishable + its token" -> target.token();
            case "publishable + another session's token" -> other.token();
            case "publishable + guessed token" -> "cs_st_" + UUID.randomUUID().toString().replace("-", "") + "guess";
            default -> null;
        };
        Map<String, Object> before = stored(shop, target.integrationId());
        List<Object> endpointsBefore = webhookEndpoints(shop);
        Call call = call(row, shop, target.integrationId(), token, webhook);
        JsonPath answer = post(authorization, call.document(), call.variables());
        String field = call.field();
        switch (expected) {
            case "ok" -> {
                assertNull(answer.get("errors"), answer::prettify);
                assertNotNull(answer.get("data." + field), answer::prettify);
                Object userErrors = answer.get("data." + field + ".userErrors");
                assertTrue(userErrors == null || ((List<?>) userErrors).isEmpty(), answer::prettify);
                if (row.operation().startsWith("`eraseCustomerData`")) {
                    assertNull(stored(shop, target.integrationId()), "the customer's open session is deleted");
                }
            }
            case "FORBIDDEN", "UNAUTHENTICATED" -> {
                assertEquals(expected, answer.getString("errors[0].extensions.code"), answer::prettify);
                assertNull(answer.get("data." + field), answer::prettify);
                assertEquals(before, stored(shop, target.integrationId()), "a refusal leaves the session as it was");
                assertEquals(endpointsBefore, webhookEndpoints(shop), "and the webhook endpoints as they were");
            }
            case "as if missing" -> {
                String missing = "cs_s_" + UUID.randomUUID().toString().replace("-", "").substring(0, 22);
                Call unknown = call(row, shop, missing, token, webhook);
                JsonPath answerForUnknown = post(authorization, unknown.document(), unknown.variables());
                // extensions.cost differs from one request to the next (the bucket's level); data and errors may not
                assertEquals(String.valueOf((Object) answerForUnknown.get("data")).replace(missing, "<id>"),
                        String.valueOf((Object) answer.get("data")).replace(target.integrationId(), "<id>"),
                        "the same answer as for a session that does not exist");
                assertNull(answer.get("errors"), answer::prettify);
                assertEquals(before, stored(shop, target.integrationId()), "nothing changed");
            }
            default -> throw new AssertionError("unknown cell " + expected + " in " + DOC);
        }
    }

    record Call(String document, String field, Map<String, Object> variables) {
    }

    private static Call call(Row row, TestApplication shop, String integrationId, String token, Webhook webhook) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("integrationId", integrationId);
        v.put("sessionToken", token);
        String op = row.operation();
        if (op.startsWith("`customerSession`")) {
            return new Call("customerSession", "customerSession", v);
        }
        if (op.startsWith("`customerSessions`")) {
            return new Call("customerSessions", "customerSessions", vars("first", 5));
        }
        if (op.startsWith("`application`")) {
            return new Call("application", "application", vars());
        }
        if (op.startsWith("`startCustomerSession`")) {
            return new Call("startCustomerSession", "startCustomerSession", vars("input", Map.of("couponCodes", List.of("WELCOME"))));
        }
        if (op.startsWith("`updateCustomerSession` (cart)")) {
            v.put("input", Map.of("cartItems", List.of(Map.of("sku", "shoe", "quantity", 3, "price", "0.01"))));
            return new Call("updateCustomerSession", "updateCustomerSession", v);
        }
        if (op.startsWith("`updateCustomerSession` (`profileId`)")) {
            v.put("input", Map.of("profileId", "alice@example.com"));
            return new Call("updateCustomerSession", "updateCustomerSession", v);
        }
        if (op.startsWith("`addCartItems`")) {
            v.put("items", List.of(Map.of("sku", "sock", "quantity", 1, "price", "4.50")));
            return new Call("addCartItems", "addCartItems", v);
        }
        if (op.startsWith("`updateCartItems`")) {
            v.put("items", List.of(Map.of("lineId", "1", "quantity", 5)));
            return new Call("updateCartItems", "updateCartItems", v);
        }
        if (op.startsWith("`removeCartItems`")) {
            v.put("lineIds", List.of("1"));
            return new Call("removeCartItems", "removeCartItems", v);
        }
        if (op.startsWith("`updateCustomerSession` (`state: closed`)")) {
            v.put("input", Map.of("state", "closed"));
            return new Call("updateCustomerSession", "updateCustomerSession", v);
        }
        v.remove("sessionToken"); // the operations below take none: only server keys may call them
        if (op.startsWith("`closeCustomerSession`")) {
            return new Call("closeCustomerSession", "closeCustomerSession", v);
        }
        if (op.startsWith("`cancelCustomerSession`")) {
            return new Call("cancelCustomerSession", "cancelCustomerSession", v);
        }
        if (op.startsWith("`returnCartItems`")) {
            v.put("items", List.of(Map.of("position", 0, "quantity", 1)));
            return new Call("returnCartItems", "returnCartItems", v);
        }
        if (op.startsWith("`mergeCustomerSession`")) {
            v.put("profileId", "alice@example.com");
            return new Call("mergeCustomerSession", "mergeCustomerSession", v);
        }
        if (op.startsWith("`issueSessionToken`")) {
            return new Call("issueSessionToken", "issueSessionToken", v);
        }
        if (op.startsWith("`eraseCustomerData`")) { // an API key's own application, or the one management names
            return new Call("eraseCustomerData", "eraseCustomerData", vars("profileId", ERASED_PROFILE, "applicationId", String.valueOf(shop.id)));
        }
        String app = String.valueOf(shop.id); // an API key's own application, or the one management names
        if (op.startsWith("`createWebhookEndpoint`")) {
            return new Call("createWebhookEndpoint", "createWebhookEndpoint", vars("applicationId", app,
                    "input", vars("url", WEBHOOK_URL, "eventKinds", List.of("CLOSED"))));
        }
        if (op.startsWith("`updateWebhookEndpoint`")) {
            return new Call("updateWebhookEndpoint", "updateWebhookEndpoint", vars("id", webhook.endpointId(), "input", vars("enabled", false)));
        }
        if (op.startsWith("`rotateWebhookSecret`")) {
            return new Call("rotateWebhookSecret", "rotateWebhookSecret", vars("id", webhook.endpointId()));
        }
        if (op.startsWith("`deleteWebhookEndpoint`")) {
            return new Call("deleteWebhookEndpoint", "deleteWebhookEndpoint", vars("id", webhook.endpointId()));
        }
        if (op.startsWith("`webhookEndpoints`")) {
            return new Call("webhookEndpoints", "webhookEndpoints", vars("applicationId", app));
        }
        if (op.startsWith("`webhookDeliveries`")) {
            return new Call("webhookDeliveries", "webhookDeliveries", vars("endpointId", webhook.endpointId()));
        }
        if (op.startsWith("`redeliverWebhook`")) {
            return new Call("redeliverWebhook", "redeliverWebhook", vars("deliveryId", webhook.deliveryId()));
        }
        if (op.startsWith("`createApiKey`")) {
            return new Call("createApiKey", "createApiKey", vars("applicationId", String.valueOf(shop.id)));
        }
        throw new AssertionError("no call for the row " + op + " of " + DOC);
    }

    /** A public address no test reaches (TEST-NET-3): endpoints must pass the address check of the default settings. */
    private static final String WEBHOOK_URL = "https://203.0.113.7/hooks";

    /** The webhook endpoint a row's call names, and for redeliverWebhook one of its deliveries. */
    record Webhook(String endpointId, String deliveryId) {
        Webhook withDelivery(String id) {
            return new Webhook(endpointId, id);
        }
    }

    private static boolean isWebhookRow(Row row) {
        return row.operation().toLowerCase(java.util.Locale.ROOT).contains("webhook");
    }

    /** A new endpoint of the shop, made with the management key: of the sessions' creation (to have a delivery) or of closes. */
    private static Webhook webhook(TestApplication shop, boolean deliveries) {
        JsonPath created = post(MANAGEMENT, "createWebhookEndpoint", vars("applicationId", String.valueOf(shop.id),
                "input", vars("url", WEBHOOK_URL, "eventKinds", List.of(deliveries ? "CREATED" : "CLOSED"))));
        assertEquals(List.of(), created.getList("data.createWebhookEndpoint.userErrors"), created::prettify);
        return new Webhook(created.getString("data.createWebhookEndpoint.webhookEndpoint.id"), null);
    }

    /** The id of a delivery of the endpoint, once the fan-out has queued one. */
    private static String awaitDelivery(String endpointId) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> ids = post(MANAGEMENT, "webhookDeliveries", vars("endpointId", endpointId)).getList("data.webhookDeliveries.nodes.id");
            if (!ids.isEmpty()) {
                return ids.get(0);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no delivery of endpoint " + endpointId);
    }

    /** The shop's webhook endpoints as stored, read with the management key. */
    private static List<Object> webhookEndpoints(TestApplication shop) {
        return post(MANAGEMENT, "webhookEndpoints", vars("applicationId", String.valueOf(shop.id), "first", 100)).getList("data.webhookEndpoints.nodes");
    }

    /** The session as stored, read with the shop's secret key. */
    private static Map<String, Object> stored(TestApplication shop, String integrationId) {
        JsonPath read = shop.call("customerSession", vars("integrationId", integrationId));
        assertNull(read.get("errors"), read::prettify);
        return read.getMap("data.customerSession");
    }
}
