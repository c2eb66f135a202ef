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
        @Description("The applications of this page.")
        public List<@NonNull ApplicationType> nodes;

        @NonNull
        @Description("Where this page ends and whether more follow.")
        public PageInfo pageInfo = new PageInfo();
    }

    /** One page of API keys. */
    @Type("ApiKeyConnection")
    @Description("One page of an application's API keys, oldest first, revoked ones included.")
    public static class ApiKeyConnection {
        @NonNull
        @Description("The keys of this page (never their plain values).")
        public List<@NonNull ApiKeyType> nodes;

        @NonNull
        @Description("Where this page ends and whether more follow.")
        public PageInfo pageInfo = new PageInfo();
    }
}
