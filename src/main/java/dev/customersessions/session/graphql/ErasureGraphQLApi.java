package dev.customersessions.session.graphql;

import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.application.ApiKeyScope;
import dev.customersessions.auth.Caller;
import dev.customersessions.common.LoggedFailures;
import dev.customersessions.common.RefusedException;
import dev.customersessions.common.UserError;
import dev.customersessions.idempotency.IdempotentWrites;
import dev.customersessions.session.SessionRetention;
import dev.customersessions.session.SessionRetention.Erasure;

/**
 * The erasure of a customer's data on request (a right-to-erasure request reaching the shop): by the shop's server for
 * its own application, or by management for any. Its answer holds counts only, never the profile id, since it may be
 * kept under an Idempotency-Key.
 */
@GraphQLApi
@LoggedFailures
public class ErasureGraphQLApi {

    @Inject
    SessionRetention retention;

    @Inject
    Caller caller;

    @Inject
    IdempotentWrites writes;

    @Inject
    CustomerSessionsConfig config;

    @Mutation("eraseCustomerData")
    @Description("Shop server (secret key) or management (management key): Erases the data of the customer profileId in the "
            + "application: open sessions are deleted, finished ones keep only what accounting needs (totals, dates, cart "
            + "lines without their attributes, costs, coupon codes, integrationId, state) and are marked erased; answers kept under "
            + "Idempotency-Keys for them are deleted. Works in batches for a few seconds at most: when complete is false, call "
            + "again (with a new Idempotency-Key) until it is true. Calling again when done changes nothing and answers zeros. "
            + "A restricted key needs ERASE_CUSTOMER_DATA; a publishable key is refused. An API key erases in its own "
            + "application (applicationId left out); the management key names the application.")
    public @NonNull EraseCustomerDataPayload eraseCustomerData(@NonNull @Name("profileId") String profileId,
            @Id @Name("applicationId") Long applicationId) {
        Long application = caller.applicationOrManaged(ApiKeyScope.ERASE_CUSTOMER_DATA, "Erasing a customer's data", applicationId);
        EraseCustomerDataPayload payload = new EraseCustomerDataPayload();
        try {
            Erasure erasure = retention.erase(application, profileId, config.retention().erasureTimeBudget(), writes.current());
            payload.sessionsDeleted = erasure.sessionsDeleted();
            payload.sessionsStripped = erasure.sessionsStripped();
            payload.idempotencyAnswersErased = erasure.idempotencyAnswersErased();
            payload.complete = erasure.complete();
        } catch (RefusedException e) {
            payload.userErrors = e.errors();
        }
        return payload;
    }

    /** The result of eraseCustomerData: what this call did, in counts. */
    @Type("EraseCustomerDataPayload")
    @Description("What eraseCustomerData did in this call. It names no customer: it may be kept under an Idempotency-Key.")
    public static class EraseCustomerDataPayload {
        @Description("Open sessions of the customer deleted by this call; null when refused.")
        public Integer sessionsDeleted;

        @Description("Finished sessions of the customer stripped of personal data (and marked erased) by this call; null when refused.")
        public Integer sessionsStripped;

        @Description("Answers kept under Idempotency-Keys for those sessions, deleted by this call; null when refused.")
        public Integer idempotencyAnswersErased;

        @Description("Whether the customer has no session left to erase in the application. false: the call used its time "
                + "budget; call again. null when refused.")
        public Boolean complete;

        @NonNull
        @Description("Why the mutation was refused; empty when it succeeded. A refusal changes nothing.")
        public List<@NonNull UserError> userErrors = List.of();
    }
}
