package dev.customersessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

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
        String node = onPath("node");
        String npm = onPath("npm");
        if (node == null || npm == null) {
            String why = "GraphQLOverHttpAuditIT LEFT OUT: Node.js and npm are not on the PATH. Install them "
                    + "(e.g. apt-get install nodejs npm) and run ./mvnw verify again; .ci/run installs them.";
            System.out.println(why);
            assertTrue(System.getenv("CI") == null, why + " CI must not leave it out.");
            Assumptions.abort(why);
        }
        run(List.of(npm, "ci", "--no-audit", "--no-fund"), 300);
        String url = RestAssured.baseURI + ":" + RestAssured.port + "/graphql";
        List<String> lines = run(List.of(node, "audit.mjs", url), 120);
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

    private static List<String> run(List<String> command, int seconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(AUDIT.toFile()).redirectErrorStream(true).start();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), command + " did not finish");
        assertEquals(0, process.exitValue(), () -> command + " failed: " + String.join("\n", lines));
        return lines;
    }

    private static String onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File file = new File(directory, program);
            if (file.canExecute()) {
                return file.getAbsolutePath();
            }
        }
        return null;
    }
}
