package dev.customersessions.session.graphql;

import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

import dev.customersessions.application.ApiKeyGrant;
import dev.customersessions.application.ApiKeyScope;
import dev.customersessions.auth.Caller;
import dev.customersessions.common.LoggedFailures;
import dev.customersessions.common.RefusedException;
import dev.customersessions.idempotency.IdempotentWrites;
import dev.customersessions.session.CustomerSessionService;
import dev.customersessions.session.SessionMergeStrategy;

/**
 * Merging carts at login (docs/login.md): the shop's server binds the guest session to the customer who just logged
 * in, merging it with the customer's open session. Only server keys may: binding a profile is what a page may never do
 * (it could claim any customer's cart), so a publishable key is refused like for updateCustomerSession's profileId.
 */
@GraphQLApi
@LoggedFailures
public class SessionMergeGraphQLApi {

    @Inject
    CustomerSessionService service;

    @Inject
    Caller caller;

    @Inject
    IdempotentWrites writes;

    @Mutation("mergeCustomerSession")
    @Description("Shop server (secret key): At login, binds the guest session (integrationId) to the customer (profileId) and, when "
            + "the customer already has open sessions, merges them by the strategy: MERGE_LINES (default) adds the guest's "
            + "lines, codes, costs and attributes to the customer's most recently updated open session, KEEP_CUSTOMER keeps "
            + "that session as it is, USE_GUEST keeps the guest session. Every other open session of the customer ends merged "
            + "(mergedInto names the survivor), so the customer is left with one. Without an open session of the customer the "
            + "guest session only gets the profileId; binding it again changes nothing. A session of another customer is "
            + "PROFILE_MISMATCH. dry as for updateCustomerSession; expectedVersion is the guest session's. A restricted key "
            + "needs WRITE_SESSIONS; a publishable key is refused.")
    public @NonNull MergeCustomerSessionPayload mergeCustomerSession(@NonNull @Name("integrationId") String integrationId,
            @NonNull @Name("profileId") String profileId,
            @DefaultValue("MERGE_LINES") @Name("strategy") SessionMergeStrategy strategy,
            @DefaultValue("false") @Name("dry") Boolean dry, @Name("expectedVersion") Integer expectedVersion) {
        caller.require(ApiKeyScope.WRITE_SESSIONS, "Binding a session to a customer");
        ApiKeyGrant key = caller.apiKey();
        try {
            return service.merge(key.applicationId(), integrationId, profileId, strategy == null ? SessionMergeStrategy.MERGE_LINES : strategy,
                    key.kind().name(), Boolean.TRUE.equals(dry), expectedVersion == null ? null : expectedVersion.longValue(),
                    writes.current(), MergeCustomerSessionPayload::of);
        } catch (RefusedException e) {
            return MergeCustomerSessionPayload.refused(e.errors());
        }
    }
}
