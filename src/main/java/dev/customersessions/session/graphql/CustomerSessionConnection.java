package dev.customersessions.session.graphql;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.common.PageInfo;
import dev.customersessions.common.PageRequest;
import dev.customersessions.session.CustomerSession;

/** One page of customer sessions, Relay style. */
@Type("CustomerSessionConnection")
@Description("One page of customer sessions, oldest first (by id).")
public class CustomerSessionConnection {

    @NonNull
    @Description("The sessions of this page, each with its cursor.")
    public List<@NonNull Edge> edges;

    @NonNull
    @Description("The sessions of this page (the nodes of edges, for clients that need no cursors).")
    public List<@NonNull CustomerSessionType> nodes;

    @NonNull
    @Description("Where this page ends and whether more follow.")
    public PageInfo pageInfo;

    static CustomerSessionConnection of(List<CustomerSession> fetched, PageRequest request) {
        CustomerSessionConnection connection = new CustomerSessionConnection();
        connection.pageInfo = new PageInfo();
        connection.nodes = PageInfo.page(fetched, request, s -> s.id, connection.pageInfo).stream().map(CustomerSessionType::of).toList();
        connection.edges = PageInfo.edges(connection.nodes, node -> node.id, Edge::new);
        return connection;
    }

    /** A session and its cursor. */
    @Type("CustomerSessionEdge")
    @Description("A session in a page, with the cursor to continue after it.")
    public static class Edge {
        @NonNull
        @Description("Pass as after to get the sessions following this one.")
        public String cursor;

        @NonNull
        @Description("The session.")
        public CustomerSessionType node;

        Edge(String cursor, CustomerSessionType node) {
            this.cursor = cursor;
            this.node = node;
        }
    }
}
