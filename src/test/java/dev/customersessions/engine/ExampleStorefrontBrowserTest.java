package dev.customersessions.engine;

import static dev.customersessions.support.GraphQLClient.MANAGEMENT;
import static dev.customersessions.support.GraphQLClient.post;
import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.ExternalTools;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * The example storefront (examples/storefront) as it is meant to run: its shop server (Node.js, holding the
 * application's secret key) serves the page on an origin of its own, and the page calls this service cross-origin
 * with a publishable key, through npm's graphql-http client. In headless Chromium, two shoppers in two browser
 * contexts build carts of their own (kept by id and token in their own localStorage) with line operations; a change
 * made by another client in between is built on, not lost; totals are shown exactly as served. From a page, what a shopper
 * could try in the developer tools fails: the other shopper's cart is as if it did not exist, a guessed token
 * reaches nothing, the publishable key cannot list sessions, and a secret key put into the page is refused at once,
 * saying why. A price lowered from the page stays the shopper's claim (cartSetBy PUBLISHABLE) and the shop server
 * re-prices it at checkout before it closes the session. A shopper's page follows its cart over the service's
 * WebSocket: a change the shop server makes shows without a reload, events of versions the page shows already change
 * nothing, and after a dropped connection the page resubscribes from the version it shows and catches up. In the same
 * browser, graphql-js compares a client schema built from the committed schema.graphql with the one the service
 * describes by introspection; last, GraphiQL with the key in its Headers tab: the request is authenticated, the key is
 * neither in the address nor in storage, and a subscription run with a publishable key receives the shop server's
 * change.
 *
 * <p>The test profile's CORS setting admits pages of {@code http://localhost} on any port, where the shop server runs
 * here (on a free port). Needs Node.js, npm and Chromium (Debian's chromium); left out, saying so, without them.
 */
@QuarkusTest
class ExampleStorefrontBrowserTest {

    private static final String TEST = "ExampleStorefrontBrowserTest";
    private static final String INSTALL = "apt-get install nodejs npm chromium";
    private static final Path STOREFRONT = Path.of("examples/storefront");
    private static final Path DRIVER = Path.of("src/test/js/browser-e2e");
    private static final Pattern LISTENING = Pattern.compile("Shop server: (http://localhost:\\d+)");

    @Test
    void twoShoppersBuildTheirOwnCartsAndTheShopServerPlacesTheOrders() throws Exception {
        String node = ExternalTools.require(TEST, INSTALL, "node");
        String npm = ExternalTools.require(TEST, INSTALL, "npm");
        String chromium = ExternalTools.require(TEST, INSTALL, "chromium", "chromium-browser");
        ExternalTools.run(STOREFRONT, List.of(npm, "ci", "--no-audit", "--no-fund"), 300);
        ExternalTools.run(DRIVER, List.of(npm, "ci", "--no-audit", "--no-fund"), 300);

        TestApplication shop = TestApplication.create();
        String publishableKey = publishableKey(shop);
        String service = RestAssured.baseURI + ":" + RestAssured.port;

        Path log = Files.createTempFile("shop-server", ".log");
        ProcessBuilder builder = new ProcessBuilder(node, "shop-server.mjs", "0").directory(STOREFRONT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("CUSTOMER_SESSIONS_URL", service);
        builder.environment().put("SHOP_SECRET_KEY", shop.apiKey);
        builder.environment().put("PUBLISHABLE_KEY", publishableKey);
        Process shopServer = builder.start();
        JsonPath seen;
        try {
            String shopUrl = address(shopServer, log);
            List<String> output = ExternalTools.run(DRIVER, List.of(node, "storefront-e2e.mjs", shopUrl, service, shop.apiKey,
                    chromium, Path.of("schema.graphql").toAbsolutePath().toString()), 240);
            seen = new JsonPath(output.get(output.size() - 1));
        } finally {
            shopServer.destroy();
            if (!shopServer.waitFor(10, TimeUnit.SECONDS)) {
                shopServer.destroyForcibly();
            }
            System.out.println("Shop server's output:\n" + Files.readString(log, StandardCharsets.UTF_8));
            Files.deleteIfExists(log);
        }
        JsonPath s = seen;

        assertEquals(List.of(), s.getList("pageErrors"));
        assertEquals("EUR", s.getString("currency"), "the page shows the application's currency");
        assertEquals(List.of("Add running shoes (59.95 EUR)", "Add socks (9.99 EUR)"), s.getList("productButtons"));

        // Shopper A: the first item started a session, whose id and token the page keeps.
        assertEquals("124.89", s.getString("afterTwoShoes"), "2 × 59.95 + shipping 4.99");
        assertTrue(s.getString("storedA.integrationId").startsWith("cs_s_"), s::prettify);
        assertTrue(s.getString("storedA.sessionToken").startsWith("cs_st_"), s::prettify);
        assertEquals(3, s.getInt("otherClientVersion"));
        assertTrue(s.getString("statusAfterConflict").startsWith("Saved"), s::prettify);
        assertEquals("139.88", s.getString("cartItemTotal"), "2 × 59.95 + 2 × 9.99, exact");
        assertEquals("4.99", s.getString("additionalCostTotal"));
        assertEquals("144.87", s.getString("total"));
        assertEquals("5", s.getString("version"));
        assertEquals("PUBLISHABLE", s.getString("cartSetBy"));
        List<List<String>> linesA = List.of(List.of("Running shoes", "2", "59.95"), List.of("Socks", "2", "9.99"));
        assertEquals(linesA, s.getList("lines"));
        assertEquals(Map.of("total", "144.87", "version", "5", "lines", linesA), s.getMap("afterReload"), "read back with the stored token");

        // Shopper B: a cart of its own (added, lowered, removed); A's cart is out of its reach.
        assertEquals(List.of(List.of("Socks", "1", "9.99")), s.getList("linesB"));
        assertEquals("14.98", s.getString("totalB"));
        assertNotEquals(s.getString("storedA.integrationId"), s.getString("storedB.integrationId"));
        assertNull(s.get("bReadsA.errors"), s::prettify);
        assertNull(s.get("bReadsA.data.customerSession"), "B's token does not reach A's cart");
        assertEquals("NOT_FOUND", s.getString("bChangesA.data.updateCustomerSession.userErrors[0].code"), s::prettify);
        assertNull(s.get("guessedToken.data.customerSession"), "a guessed token reaches nothing");
        assertEquals("FORBIDDEN", s.getString("bLists.errors[0].extensions.code"), "the page's key cannot list sessions");
        assertEquals(Map.of("version", 5, "total", "144.87"), s.getMap("aAfterB"), "A's cart as A left it");
        assertEquals(404, s.getInt("foreignCheckoutStatus"), "the shop server checks out only a cart whose token it is shown");

        // A price lowered from B's page is the shopper's claim; the shop server re-prices it at checkout.
        assertEquals(List.of(), s.getList("tamper.data.updateCustomerSession.userErrors"), s::prettify);
        assertEquals("PUBLISHABLE", s.getString("tamper.data.updateCustomerSession.customerSession.cartSetBy"));
        assertEquals(Map.of("lines", List.of(List.of("Socks", "1", "0.01")), "total", "0.01", "cartSetBy", "PUBLISHABLE"),
                s.getMap("tamperedShown"));
        assertEquals("Order placed (the shop re-priced SOCKS-3PACK, shipping)", s.getString("checkoutB.status"));
        assertEquals("closed", s.getString("checkoutB.state"));
        assertEquals("14.98", s.getString("checkoutB.total"), "9.99 + shipping 4.99, the catalogue's");
        assertEquals(List.of(List.of("Socks", "1", "9.99")), s.getList("checkoutB.lines"));
        assertEquals("closed", s.getString("storedAfterCheckoutB.state"));

        // Shopper C logs in: the guest cart is merged into the cart customer-c left open, which the page now holds.
        assertEquals("Logged in: your earlier cart and this one are merged", s.getString("loginC.status"));
        assertEquals(List.of(List.of("Socks", "1", "9.99"), List.of("Running shoes", "1", "59.95")), s.getList("loginC.lines"));
        assertEquals("74.93", s.getString("loginC.total"), "9.99 + 59.95 + the guest cart's shipping 4.99");
        assertEquals("phone-cart-c", s.getString("loginC.stored.integrationId"));
        assertTrue(s.getString("loginC.stored.sessionToken").startsWith("cs_st_"), s::prettify);
        assertEquals(Map.of("state", "merged", "mergedInto", "phone-cart-c"), s.getMap("guestAfterLogin"));
        assertEquals("134.88", s.getString("afterLoginChange.total"), "one more pair, on the merged cart");
        assertEquals("Order placed", s.getString("checkoutC.status"));
        assertEquals("closed", s.getString("checkoutC.state"));
        assertEquals("134.88", s.getString("checkoutC.total"));
        assertEquals(Map.of("lines", List.of(), "total", "0", "shipping", "0"), s.getMap("emptiedD"), "an emptied cart ships nothing");
        assertEquals("14.98", s.getString("storedAfterCheckoutB.total"));
        assertEquals("customer-b", s.getString("storedAfterCheckoutB.profileId"));
        assertEquals("SECRET", s.getString("storedAfterCheckoutB.cartSetBy"), "re-priced with the shop server's key");

        // A's order: nothing to re-price; then a new cart forgets the old one.
        assertEquals("Order placed", s.getString("checkoutA.status"));
        assertEquals("closed", s.getString("checkoutA.state"));
        assertEquals("144.87", s.getString("checkoutA.total"));
        assertEquals(true, s.getBoolean("checkoutA.newCartShown"));
        assertEquals("closed", s.getString("storedAfterCheckoutA.state"));
        assertEquals("customer-a", s.getString("storedAfterCheckoutA.profileId"));
        assertEquals("PUBLISHABLE", s.getString("storedAfterCheckoutA.cartSetBy"));
        assertEquals(7, s.getInt("storedAfterCheckoutA.version"), "bound, then closed");
        assertNull(s.get("afterNewCart.stored"));
        assertEquals("–", s.getString("afterNewCart.total"));
        assertEquals(List.of(), s.getList("afterNewCart.lines"));

        // Shopper E's page shows the shop server's change live and exactly, ignores versions it shows, catches up after a drop.
        List<List<String>> linesE = List.of(List.of("Running shoes", "1", "59.95"), List.of("Socks", "2", "9.99"));
        assertEquals(linesE, s.getList("liveE.lines"), s::prettify);
        assertEquals("84.92", s.getString("liveE.total"), "59.95 + 2 × 9.99 + shipping 4.99, exact");
        assertEquals("Changed elsewhere (version 2)", s.getString("liveE.status"));
        assertEquals(true, s.getBoolean("liveE.notReloaded"), "shown without a reload");
        assertEquals(1, s.getInt("liveE.subscribe.since"), "subscribed from the version shown");
        assertTrue(s.getString("liveE.subscribe.token").startsWith("cs_st_"), "with the cart's token");
        assertEquals(Map.of("lines", linesE, "total", "84.92", "version", "2"), s.getMap("staleIgnored"), "a version shown already changes nothing");
        assertEquals(2, s.getInt("reconnectE.connections"), s::prettify);
        assertEquals(2, s.getInt("reconnectE.subscribe.since"), "resubscribed from the version shown");
        assertEquals("3", s.getString("reconnectE.version"), "the change made while away");

        // The secret key stays on the shop server; put into a page, it fails at once.
        assertEquals(false, s.getBoolean("pagesHoldSecretKey"));
        assertTrue(s.getString("secretKeyInPage").startsWith("FORBIDDEN: "), s.getString("secretKeyInPage"));
        assertTrue(s.getString("secretKeyInPage").contains("Server keys must never reach a browser"), s.getString("secretKeyInPage"));
        assertTrue(s.getString("clientMissing").contains("run npm install in examples/storefront"), s.getString("clientMissing"));

        assertEquals(Boolean.TRUE, s.get("schemaMatches"), () -> "graphql-js: committed vs served\n" + s.get("schemaMatches"));

        assertEquals("EUR", s.getString("graphiqlAnswer.data.application.currency"), s::prettify);
        assertEquals(false, s.getBoolean("graphiqlUrlHoldsKey"), "GraphiQL wrote the API key into its address");
        assertEquals(false, s.getBoolean("graphiqlStorageHoldsKey"), "GraphiQL kept the API key in localStorage");
        assertEquals("UPDATED", s.getString("graphiqlEvent.data.customerSessionChanged.kind"), s::prettify);
        assertEquals(2, s.getInt("graphiqlEvent.data.customerSessionChanged.version"));
        assertEquals("69.94", s.getString("graphiqlEvent.data.customerSessionChanged.session.total"), "9.99 + 59.95");
        assertEquals(List.of("SOCKS-3PACK", "SHOE-RED-42"), s.getList("graphiqlEvent.data.customerSessionChanged.session.cartItems.sku"));
    }

    private static String publishableKey(TestApplication shop) {
        JsonPath created = post(MANAGEMENT, "createApiKey",
                vars("applicationId", String.valueOf(shop.id), "input", Map.of("kind", "PUBLISHABLE", "name", "example storefront")));
        assertEquals(List.of(), created.getList("data.createApiKey.userErrors"), created::prettify);
        return created.getString("data.createApiKey.apiKey.key");
    }

    /** The shop server's address, from the first line it prints once it listens. */
    private static String address(Process shopServer, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String printed = Files.readString(log, StandardCharsets.UTF_8);
            Matcher listening = LISTENING.matcher(printed);
            if (listening.find()) {
                return listening.group(1);
            }
            if (!shopServer.isAlive()) {
                fail("The shop server stopped: " + printed);
            }
            Thread.sleep(100);
        }
        return fail("The shop server did not start in 30 s: " + Files.readString(log, StandardCharsets.UTF_8));
    }
}
