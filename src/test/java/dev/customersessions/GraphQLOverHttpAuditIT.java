package dev.customersessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.ExternalTools;
import dev.customersessions.support.IntrospectionOn;
import dev.customersessions.support.PackagedAppDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * The graphql-http audit suite (npm graphql-http, {@code auditServer}: the GraphQL-over-HTTP specification's MUST,
 * SHOULD and MAY checks) against the packaged application: no MUST and no SHOULD may fail. (Some audits query
 * {@code __type}, so introspection is switched on, as an operator may.) Needs Node.js and npm;
 * without them (on a machine with only a JDK) the test is left out, saying so, and CI ({@code .ci/run} installs
 * both) never leaves it out.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedAppDatabase.class)
@WithTestResource(IntrospectionOn.class)
class GraphQLOverHttpAuditIT {

    private static final Path AUDIT = Path.of("src/test/js/graphql-http-audit");

    @Test
    void noMustOrShouldFails() throws Exception {
        String node = ExternalTools.require("GraphQLOverHttpAuditIT", "apt-get install nodejs npm", "node");
        String npm = ExternalTools.require("GraphQLOverHttpAuditIT", "apt-get install nodejs npm", "npm");
        ExternalTools.run(AUDIT, List.of(npm, "ci", "--no-audit", "--no-fund"), 300);
        String url = RestAssured.baseURI + ":" + RestAssured.port + "/graphql";
        List<String> lines = ExternalTools.run(AUDIT, List.of(node, "audit.mjs", url), 120);
        List<String> failed = new ArrayList<>();
        int audits = 0;
        for (String line : lines) {
            if (!line.startsWith("{")) {
                continue;
            }
            audits++;
            JsonPath audit = new JsonPath(line);
            String status = audit.getString("status");
            if (status.equals("error") || status.equals("warn")) {
                failed.add(status + " " + audit.getString("id") + " " + audit.getString("name") + ": " + audit.getString("reason"));
            }
        }
        assertTrue(audits > 50, "the audit ran " + audits + " checks: " + lines);
        assertEquals(List.of(), failed, "MUST (error) and SHOULD (warn) failures of the graphql-http audit");
    }
}
