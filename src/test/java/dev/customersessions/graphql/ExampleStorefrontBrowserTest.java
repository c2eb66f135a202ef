package dev.customersessions.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.ExternalTools;
import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * The example storefront page (examples/storefront, npm's graphql-http client) in headless Chromium, driven as a
 * shopper would: it builds a cart, meets a change made by another client (VERSION_CONFLICT), reads the cart again,
 * shows exact totals, and places the order. In the same browser, graphql-js builds a client schema from the
 * committed schema.graphql and compares it with the one the service describes by introspection. Last, GraphiQL with
 * the key in its Headers tab: the request is authenticated, and the key is neither in the address nor in storage.
 * Needs Node.js, npm and Chromium (Debian's chromium); left out, saying so, without them.
 */
@QuarkusTest
class ExampleStorefrontBrowserTest {

    private static final String INSTALL = "apt-get install nodejs npm chromium";

    @Test
    void aShopperBuildsACartAndPlacesTheOrder() throws Exception {
        String node = ExternalTools.require("ExampleStorefrontBrowserTest", INSTALL, "node");
        String npm = ExternalTools.require("ExampleStorefrontBrowserTest", INSTALL, "npm");
        String chromium = ExternalTools.require("ExampleStorefrontBrowserTest", INSTALL, "chromium", "chromium-browser");
        ExternalTools.run(Path.of(ExampleStorefrontRoute.DIRECTORY), List.of(npm, "ci", "--no-audit", "--no-fund"), 300);
        Path driver = Path.of("src/test/js/browser-e2e");
        ExternalTools.run(driver, List.of(npm, "ci", "--no-audit", "--no-fund"), 300);

        TestApplication shop = TestApplication.create();
        String base = RestAssured.baseURI + ":" + RestAssured.port;
        List<String> output = ExternalTools.run(driver, List.of(node, "storefront-e2e.mjs", base, shop.apiKey, chromium,
                Path.of("schema.graphql").toAbsolutePath().toString()), 180);
        JsonPath seen = new JsonPath(output.get(output.size() - 1));

        assertEquals(List.of(), seen.getList("pageErrors"));
        assertEquals("124.89", seen.getString("afterTwoShoes"), "2 × 59.95 + shipping 4.99");
        assertEquals(3, seen.getInt("otherClientVersion"));
        assertTrue(seen.getString("statusAfterConflict").startsWith("Saved"), seen::prettify);
        assertEquals("139.88", seen.getString("cartItemTotal"), "2 × 59.95 + 2 × 9.99, exact");
        assertEquals("4.99", seen.getString("additionalCostTotal"));
        assertEquals("144.87", seen.getString("total"));
        assertEquals("5", seen.getString("version"));
        assertEquals(List.of(List.of("Running shoes", "2", "59.95"), List.of("Socks", "2", "9.99")), seen.getList("lines"));
        assertEquals("closed", seen.getString("state"));
        assertEquals("Order placed", seen.getString("finalStatus"));
        assertEquals(Boolean.TRUE, seen.get("schemaMatches"), () -> "graphql-js: committed vs served\n" + seen.get("schemaMatches"));

        assertEquals("EUR", seen.getString("graphiqlAnswer.data.application.currency"), seen::prettify);
        assertEquals(false, seen.getBoolean("graphiqlUrlHoldsKey"), "GraphiQL wrote the API key into its address");
        assertEquals(false, seen.getBoolean("graphiqlStorageHoldsKey"), "GraphiQL kept the API key in localStorage");
    }
}
