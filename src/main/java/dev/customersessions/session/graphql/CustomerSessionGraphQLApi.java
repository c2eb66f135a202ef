package dev.customersessions.session.graphql;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import dev.customersessions.common.LoggedFailures;
import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.application.ApiKeyScope;
import dev.customersessions.auth.Caller;
import dev.customersessions.auth.Caller.SessionKey;
import dev.customersessions.auth.ForbiddenException;
import dev.customersessions.auth.IssuedSecrets;
import dev.customersessions.auth.SessionTokens;
import dev.customersessions.idempotency.IdempotentWrites;
import dev.customersessions.session.SessionAccess;
import dev.customersessions.common.PageRequest;
import dev.customersessions.common.LimitExceededException;
import dev.customersessions.common.RefusedException;
import dev.customersessions.session.ReturnRequest;
import dev.customersessions.session.graphql.CartItemReturnType.ReturnCartItemInput;
import dev.customersessions.session.CustomerSessionService;
import dev.customersessions.session.SessionSnapshot;
import dev.customersessions.session.SessionState;
import graphql.schema.DataFetchingEnvironment;
import io.smallrye.graphql.api.Context;

/**
 * The storefront's operations on customer sessions; every one is scoped to the caller's application. What each key
 * kind may call is decided here, through {@link Caller}: a web page's publishable key starts sessions and reaches only
 * those whose session token it presents; binding a customer, closing, cancelling, returns and listings need a server
 * key (secret, or restricted with the scope).
 */
@GraphQLApi
@LoggedFailures
public class CustomerSessionGraphQLApi {

    @Inject
    CustomerSessionService service;

    @Inject
    Caller caller;

    @Inject
    CustomerSessionsConfig config;

    @Inject
    CartLoader carts;

    @Inject
    Context context;

    @Inject
    IssuedSecrets issuedSecrets;

    @Inject
    IdempotentWrites writes;

    private static final String TOKEN_DESCRIPTION = "the session token that startCustomerSession gave: needed with a "
            + "publishable key (without it, or with another session's, the session is answered as if it did not exist); "
            + "server keys need none.";

    @Query("customerSession")
    @Description("Storefront (API key): The session with this integrationId in your application, or null. A publishable key "
            + "needs the session's sessionToken; a restricted key needs READ_SESSIONS.")
    public CustomerSessionType customerSession(@NonNull @Name("integrationId") String integrationId,
            @Name("sessionToken") @Description("With a publishable key: " + TOKEN_DESCRIPTION) String sessionToken) {
        SessionKey key = caller.session(ApiKeyScope.READ_SESSIONS, "Reading any session", sessionToken);
        long applicationId = key.applicationId();
        int budget = carts.remainingLines();
        if (budget > 0 && asksForTheCart()) {
            try { // with its cart in one statement, when the request's cart-line budget allows
                Optional<SessionSnapshot> read = service.find(applicationId, integrationId, key.requiredTokenHash(), budget);
                read.ifPresent(snapshot -> carts.charge(snapshot.cart()));
                return read.map(CustomerSessionType::read).orElse(null);
            } catch (LimitExceededException overBudget) {
                // the session alone: its cart fields, if asked for, answer LIMIT_EXCEEDED
            }
        }
        return service.findWithoutCart(applicationId, integrationId, key.requiredTokenHash()).map(CustomerSessionType::of).orElse(null);
    }

    /**
     * Whether the field being fetched selects anything computed from the cart (the fields of
     * CustomerSessionFieldResolvers but returns, which are read apart); true when that cannot be told.
     */
    private boolean asksForTheCart() {
        DataFetchingEnvironment environment = context.unwrap(DataFetchingEnvironment.class);
        return environment == null || environment.getSelectionSet().containsAnyOf("cartItems", "cartItemTotal",
                "cartItemAdditionalCostTotal", "total", "returnedCartItemTotal");
    }

    @Query("customerSessions")
    @Description("Shop server (secret key): Your application's sessions, oldest first, a page at a time: pass pageInfo.endCursor as "
            + "after for the next page. first defaults to 20 and is capped at 100. A restricted key needs READ_SESSIONS; a "
            + "publishable key is refused.")
    public @NonNull CustomerSessionConnection customerSessions(@Name("filter") CustomerSessionFilter filter,
            @Name("first") Integer first, @Name("after") String after) {
        long applicationId = caller.require(ApiKeyScope.READ_SESSIONS, "Listing sessions");
        PageRequest page = PageRequest.of(first, after, config.defaultPageSize(), config.maxPageSize());
        return CustomerSessionConnection.of(service.page(applicationId, CustomerSessionFilter.toFilter(filter), page), page);
    }

    @Mutation("updateCustomerSession")
    @Description("Storefront (API key): Creates the session, or updates it: a field left out keeps its stored value, a field sent replaces "
            + "it. Sending what is stored changes nothing (no new version). With dry: true nothing is stored and the "
            + "session is returned as it would be. With expectedVersion, refused unless the stored version is that "
            + "(0: unless the session does not exist yet). A publishable key changes only the session whose sessionToken it "
            + "sends (it never creates one: see startCustomerSession), and may not set profileId or close or cancel; a "
            + "restricted key needs WRITE_SESSIONS (and CLOSE_SESSIONS or CANCEL_SESSIONS for those states).")
    public @NonNull CustomerSessionPayload updateCustomerSession(@NonNull @Name("integrationId") String integrationId,
            @NonNull @Name("input") CustomerSessionInput input, @DefaultValue("false") @Name("dry") Boolean dry,
            @Name("expectedVersion") Integer expectedVersion,
            @Name("sessionToken") @Description("With a publishable key: " + TOKEN_DESCRIPTION) String sessionToken) {
        SessionKey key = caller.session(ApiKeyScope.WRITE_SESSIONS, "Changing any session", sessionToken);
        checkInput(key, input);
        SessionAccess access = access(key);
        return apply(() -> service.update(key.applicationId(), integrationId, access,
                (settings, problems) -> input.toUpdate(() -> settings.get().definitions(), problems), Boolean.TRUE.equals(dry),
                version(expectedVersion), writes.current(), CustomerSessionType::withCart));
    }

    @Mutation("startCustomerSession")
    @Description("Storefront (API key): Starts a new session under an integrationId the service chooses, and gives its sessionToken "
            + "(shown only here; keep it with the shopper, e.g. in the page's storage). This is how a web page with a "
            + "publishable key starts a cart; send the token with every later read and change of the session. The input as "
            + "for updateCustomerSession. With dry: true nothing is stored and no token is given. A restricted key needs "
            + "WRITE_SESSIONS.")
    public @NonNull CustomerSessionPayload startCustomerSession(@NonNull @Name("input") CustomerSessionInput input,
            @DefaultValue("false") @Name("dry") Boolean dry) {
        SessionKey key = caller.session(ApiKeyScope.WRITE_SESSIONS, "Starting a session", null);
        checkInput(key, input);
        boolean dryRun = Boolean.TRUE.equals(dry);
        String token = SessionTokens.newToken();
        String integrationId = SessionTokens.newIntegrationId();
        SessionAccess access = new SessionAccess(null, true, SessionTokens.hashOf(token), key.kind().name());
        CustomerSessionPayload payload = apply(() -> service.update(key.applicationId(), integrationId, access,
                (settings, problems) -> input.toUpdate(() -> settings.get().definitions(), problems), dryRun, 0L,
                writes.current(), CustomerSessionType::withCart));
        if (payload.customerSession != null && !dryRun) {
            issuedSecrets.add(token);
            payload.sessionToken = token;
        }
        return payload;
    }

    @Mutation("issueSessionToken")
    @Description("Shop server (secret key): Gives an existing session a new sessionToken, shown only here, so that a web page with "
            + "a publishable key can reach it (a session the server started, or one whose page lost its token); the old token "
            + "stops working. A restricted key needs ISSUE_SESSION_TOKENS; a publishable key is refused.")
    public @NonNull CustomerSessionPayload issueSessionToken(@NonNull @Name("integrationId") String integrationId) {
        long applicationId = caller.require(ApiKeyScope.ISSUE_SESSION_TOKENS, "Issuing a session token");
        String token = SessionTokens.newToken();
        CustomerSessionPayload payload = apply(() -> service.replaceToken(applicationId, integrationId, SessionTokens.hashOf(token),
                writes.current(), CustomerSessionType::withCart));
        if (payload.customerSession != null) {
            issuedSecrets.add(token);
            payload.sessionToken = token;
        }
        return payload;
    }

    /**
     * What the request's key may not set: a publishable key binds no customer and neither closes nor cancels (the shop's
     * server does, after payment); a restricted key needs the scope of the state it sets.
     */
    private void checkInput(SessionKey key, CustomerSessionInput input) {
        if (key.publishable()) {
            if (input.profileId != null) {
                throw new ForbiddenException("Binding a session to a customer (input.profileId) needs a secret key: the shop's "
                        + "server does it once the shopper has logged in");
            }
            if (input.state == SessionState.closed || input.state == SessionState.cancelled) {
                throw new ForbiddenException("Setting the state " + input.state + " needs a secret key: the shop's server closes "
                        + "the session when the order is placed and paid");
            }
            return;
        }
        if (input.state == SessionState.closed) {
            caller.require(ApiKeyScope.CLOSE_SESSIONS, "Closing a session");
        } else if (input.state == SessionState.cancelled) {
            caller.require(ApiKeyScope.CANCEL_SESSIONS, "Cancelling a session");
        }
    }

    @Mutation("closeCustomerSession")
    @Description("Shop server (secret key): Closes an open session: the order was placed. Closing a closed session changes nothing. "
            + "A restricted key needs CLOSE_SESSIONS; a publishable key is refused.")
    public @NonNull CustomerSessionPayload closeCustomerSession(@NonNull @Name("integrationId") String integrationId,
            @DefaultValue("false") @Name("dry") Boolean dry, @Name("expectedVersion") Integer expectedVersion) {
        long applicationId = caller.require(ApiKeyScope.CLOSE_SESSIONS, "Closing a session");
        return apply(() -> service.transition(applicationId, integrationId, SessionState.closed, Boolean.TRUE.equals(dry), version(expectedVersion),
                writes.current(), CustomerSessionType::withCart));
    }

    @Mutation("cancelCustomerSession")
    @Description("Shop server (secret key): Cancels an open, closed or partially returned session. Final. Cancelling a cancelled "
            + "session changes nothing. A restricted key needs CANCEL_SESSIONS; a publishable key is refused.")
    public @NonNull CustomerSessionPayload cancelCustomerSession(@NonNull @Name("integrationId") String integrationId,
            @DefaultValue("false") @Name("dry") Boolean dry, @Name("expectedVersion") Integer expectedVersion) {
        long applicationId = caller.require(ApiKeyScope.CANCEL_SESSIONS, "Cancelling a session");
        return apply(() -> service.transition(applicationId, integrationId, SessionState.cancelled, Boolean.TRUE.equals(dry), version(expectedVersion),
                writes.current(), CustomerSessionType::withCart));
    }

    @Mutation("returnCartItems")
    @Description("Shop server (secret key): Returns cart items of a closed or partially returned session: raises their returnedQuantity, "
            + "lists the return in returns and moves the session to partially_returned. Each item names a position and "
            + "how many units (left out: all that remain). A request naming a missing position or more units than remain "
            + "is refused whole. dry and expectedVersion as for updateCustomerSession. A restricted key needs "
            + "RETURN_CART_ITEMS; a publishable key is refused.")
    public @NonNull CustomerSessionPayload returnCartItems(@NonNull @Name("integrationId") String integrationId,
            @NonNull @Name("items") List<@NonNull ReturnCartItemInput> items, @DefaultValue("false") @Name("dry") Boolean dry,
            @Name("expectedVersion") Integer expectedVersion) {
        long applicationId = caller.require(ApiKeyScope.RETURN_CART_ITEMS, "Returning cart items");
        List<ReturnRequest> requests = items.stream().map(ReturnCartItemInput::toRequest).toList();
        return apply(() -> service.returnItems(applicationId, integrationId, requests, Boolean.TRUE.equals(dry),
                version(expectedVersion), writes.current(), CustomerSessionType::withCart));
    }

    /** How a key reaches an existing session: a publishable key only with the session's token, and never creating one. */
    static SessionAccess access(SessionKey key) {
        return key.publishable() ? new SessionAccess(key.requiredTokenHash(), false, null, key.kind().name())
                : SessionAccess.server(key.kind().name());
    }

    static Long version(Integer expectedVersion) {
        return expectedVersion == null ? null : expectedVersion.longValue();
    }

    /** The mutation's payload: the session it answers, or the user errors of its refusal. */
    static CustomerSessionPayload apply(Supplier<CustomerSessionType> mutation) {
        try {
            return CustomerSessionPayload.success(mutation.get());
        } catch (RefusedException e) {
            return CustomerSessionPayload.refused(e.errors());
        }
    }
}
