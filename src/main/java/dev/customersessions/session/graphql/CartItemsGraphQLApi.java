package dev.customersessions.session.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

import dev.customersessions.application.ApiKeyScope;
import dev.customersessions.application.Definitions;
import dev.customersessions.auth.Caller;
import dev.customersessions.auth.Caller.SessionKey;
import dev.customersessions.common.FieldPath;
import dev.customersessions.common.LoggedFailures;
import dev.customersessions.common.Validation;
import dev.customersessions.idempotency.IdempotentWrites;
import dev.customersessions.session.CartEdit;
import dev.customersessions.session.CustomerSessionService;
import dev.customersessions.session.SessionAccess;

/**
 * Line operations on a session's cart: add lines, change lines, remove lines, each line named by its stable line id.
 * The same keys may call them as may change the cart with updateCustomerSession: a publishable key with the session's
 * token (as a page does), a secret key, a restricted key with WRITE_SESSIONS.
 */
@GraphQLApi
@LoggedFailures
public class CartItemsGraphQLApi {

    @Inject
    CustomerSessionService service;

    @Inject
    Caller caller;

    @Inject
    IdempotentWrites writes;

    private static final String SAME_AS_UPDATE = " The session must exist and be open. dry, expectedVersion and sessionToken as for "
            + "updateCustomerSession; flattening, definitions and limits apply as to a whole-cart update. A publishable key "
            + "needs the session's sessionToken; a restricted key needs WRITE_SESSIONS.";

    @Mutation("addCartItems")
    @Description("Storefront (API key): Adds lines to the session's cart (at most 250 per request) without sending the rest of it, so "
            + "that two pages adding different items both succeed. A line equal to one in the cart in everything but quantity adds "
            + "its units to that line; any other line is appended and gets a new lineId." + SAME_AS_UPDATE)
    public @NonNull CustomerSessionPayload addCartItems(@NonNull @Name("integrationId") String integrationId,
            @NonNull @Name("items") List<@NonNull CartItemInput> items, @DefaultValue("false") @Name("dry") Boolean dry,
            @Name("expectedVersion") Integer expectedVersion, @Name("sessionToken") String sessionToken) {
        return edit(integrationId, sessionToken, dry, expectedVersion,
                (definitions, v) -> CartEdit.add(each(items, (item, path) -> item.toData(path, definitions, v))));
    }

    @Mutation("updateCartItems")
    @Description("Storefront (API key): Changes lines of the session's cart, each named by its lineId (at most 250 per request): the "
            + "fields sent replace the line's, the others stay; quantity 0 removes the line. A lineId the cart does not have is "
            + "NOT_FOUND and nothing changes." + SAME_AS_UPDATE)
    public @NonNull CustomerSessionPayload updateCartItems(@NonNull @Name("integrationId") String integrationId,
            @NonNull @Name("items") List<@NonNull CartItemChangeInput> items, @DefaultValue("false") @Name("dry") Boolean dry,
            @Name("expectedVersion") Integer expectedVersion, @Name("sessionToken") String sessionToken) {
        return edit(integrationId, sessionToken, dry, expectedVersion,
                (definitions, v) -> CartEdit.change(each(items, (item, path) -> item.toChange(path, definitions, v))));
    }

    @Mutation("removeCartItems")
    @Description("Storefront (API key): Removes lines from the session's cart by their lineIds (at most 250 per request). A lineId "
            + "the cart does not have is NOT_FOUND and nothing changes." + SAME_AS_UPDATE)
    public @NonNull CustomerSessionPayload removeCartItems(@NonNull @Name("integrationId") String integrationId,
            @NonNull @Id @Name("lineIds") List<@NonNull Long> lineIds, @DefaultValue("false") @Name("dry") Boolean dry,
            @Name("expectedVersion") Integer expectedVersion, @Name("sessionToken") String sessionToken) {
        return edit(integrationId, sessionToken, dry, expectedVersion, (definitions, v) -> CartEdit.remove(lineIds));
    }

    /** Each input of the items argument converted, with its path (items[i]) for the problems it reports. */
    private static <I, T> List<T> each(List<I> inputs, BiFunction<I, FieldPath, T> convert) {
        List<T> converted = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            converted.add(convert.apply(inputs.get(i), FieldPath.of("items").then(i)));
        }
        return converted;
    }

    private CustomerSessionPayload edit(String integrationId, String sessionToken, Boolean dry, Integer expectedVersion,
            BiFunction<Supplier<Definitions>, Validation, CartEdit> request) {
        SessionKey key = caller.session(ApiKeyScope.WRITE_SESSIONS, "Changing any session's cart", sessionToken);
        SessionAccess access = CustomerSessionGraphQLApi.access(key);
        return CustomerSessionGraphQLApi.apply(() -> service.editCart(key.applicationId(), integrationId, access,
                (settings, problems) -> request.apply(() -> settings.get().definitions(), problems), Boolean.TRUE.equals(dry),
                CustomerSessionGraphQLApi.version(expectedVersion), writes.current(), CustomerSessionType::withCart));
    }
}
