package dev.customersessions.common;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Type;

/** Paging state of a connection: whether more follow and where to continue. */
@Type("PageInfo")
@Description("Paging state of a connection.")
public class PageInfo {

    @Description("Whether more follow this page.")
    public boolean hasNextPage;

    @Description("The cursor of the last element of this page (pass it as after); null when the page is empty.")
    public String endCursor;

    /**
     * The page of what was fetched (up to {@link PageRequest#fetchSize()} rows in id order), and its paging state.
     *
     * @return the rows of the page, at most the requested size
     */
    public static <T> List<T> page(List<T> fetched, PageRequest request, ToLongFunction<T> id, PageInfo into) {
        List<T> page = fetched.size() > request.size() ? fetched.subList(0, request.size()) : fetched;
        into.hasNextPage = fetched.size() > request.size();
        into.endCursor = page.isEmpty() ? null : Cursor.encode(id.applyAsLong(page.get(page.size() - 1)));
        return page;
    }

    /** The edges of a page's nodes: each node with the cursor that continues after it. */
    public static <N, E> List<E> edges(List<N> nodes, ToLongFunction<N> id, BiFunction<String, N, E> edge) {
        return nodes.stream().map(node -> edge.apply(Cursor.encode(id.applyAsLong(node)), node)).toList();
    }
}
