package dev.customersessions.application.graphql;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.common.PageInfo;

/** The pages of the management listings. */
final class ManagementConnections {

    private ManagementConnections() {
    }

    /** One page of applications. */
    @Type("ApplicationConnection")
    @Description("One page of applications, oldest first.")
    public static class ApplicationConnection {
        @NonNull
        @Description("The applications of this page, each with its cursor.")
        public List<@NonNull ApplicationEdge> edges;

        @NonNull
        @Description("The applications of this page (the nodes of edges).")
        public List<@NonNull ApplicationType> nodes;

        @NonNull
        @Description("Where this page ends and whether more follow.")
        public PageInfo pageInfo = new PageInfo();
    }

    /** An application and its cursor. */
    @Type("ApplicationEdge")
    @Description("An application in a page, with the cursor to continue after it.")
    public static class ApplicationEdge {
        @NonNull
        @Description("Pass as after to get the applications following this one.")
        public String cursor;

        @NonNull
        @Description("The application.")
        public ApplicationType node;

        ApplicationEdge(String cursor, ApplicationType node) {
            this.cursor = cursor;
            this.node = node;
        }
    }

    /** One page of API keys. */
    @Type("ApiKeyConnection")
    @Description("One page of an application's API keys, oldest first, revoked ones included.")
    public static class ApiKeyConnection {
        @NonNull
        @Description("The keys of this page, each with its cursor.")
        public List<@NonNull ApiKeyEdge> edges;

        @NonNull
        @Description("The keys of this page (never their plain values; the nodes of edges).")
        public List<@NonNull ApiKeyType> nodes;

        @NonNull
        @Description("Where this page ends and whether more follow.")
        public PageInfo pageInfo = new PageInfo();
    }

    /** An API key and its cursor. */
    @Type("ApiKeyEdge")
    @Description("An API key in a page, with the cursor to continue after it.")
    public static class ApiKeyEdge {
        @NonNull
        @Description("Pass as after to get the keys following this one.")
        public String cursor;

        @NonNull
        @Description("The API key.")
        public ApiKeyType node;

        ApiKeyEdge(String cursor, ApiKeyType node) {
            this.cursor = cursor;
            this.node = node;
        }
    }
}
