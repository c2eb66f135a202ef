package dev.customersessions.session.graphql;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.common.Cursor;

/** One page of customer sessions, Relay style. */
@Type("CustomerSessionConnection")
@Description("One page of customer sessions, oldest first (by id).")
public class CustomerSessionConnection {

    @NonNull
    @Description("The sessions of this page, each with its cursor.")
    public List<@NonNull Edge> edges;

    @NonNull
    @Description("Where this page ends and whether more follow.")
    public PageInfo pageInfo;

    static CustomerSessionConnection of(List<CustomerSessionType> sessions, boolean hasNextPage) {
        CustomerSessionConnection connection = new CustomerSessionConnection();
        connection.edges = sessions.stream().map(s -> {
            Edge edge = new Edge();
            edge.node = s;
            edge.cursor = Cursor.encode(s.id);
            return edge;
        }).toList();
        connection.pageInfo = new PageInfo();
        connection.pageInfo.hasNextPage = hasNextPage;
        connection.pageInfo.endCursor = connection.edges.isEmpty() ? null : connection.edges.get(connection.edges.size() - 1).cursor;
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
    }

    /** Paging state of a connection. */
    @Type("PageInfo")
    @Description("Paging state of a connection.")
    public static class PageInfo {
        @Description("Whether sessions follow this page.")
        public boolean hasNextPage;

        @Description("The cursor of the last session of this page; null when the page is empty.")
        public String endCursor;
    }
}
