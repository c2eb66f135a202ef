package dev.customersessions.session.graphql;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.common.UserError;

/** The result of a session mutation: the session, or why nothing was done. */
@Type("CustomerSessionPayload")
@Description("The result of a customer session mutation.")
public class CustomerSessionPayload {

    @Description("The session as stored after the mutation (with dry: true, as it would be stored); null when refused.")
    public CustomerSessionType customerSession;

    @Description("The session's token: given only by startCustomerSession and issueSessionToken, and only once (a replay under the "
            + "same Idempotency-Key gives null); null in every other result. A web page sends it with its publishable key.")
    public String sessionToken;

    @NonNull
    @Description("Why the mutation was refused; empty when it succeeded. A refusal changes nothing.")
    public List<@NonNull UserError> userErrors;

    static CustomerSessionPayload success(CustomerSessionType session) {
        CustomerSessionPayload payload = new CustomerSessionPayload();
        payload.customerSession = session;
        payload.userErrors = List.of();
        return payload;
    }

    static CustomerSessionPayload refused(List<UserError> errors) {
        CustomerSessionPayload payload = new CustomerSessionPayload();
        payload.userErrors = errors;
        return payload;
    }
}
