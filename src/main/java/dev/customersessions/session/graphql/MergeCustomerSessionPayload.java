package dev.customersessions.session.graphql;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.common.UserError;
import dev.customersessions.session.MergeResult;

/** The result of a merge at login: the customer's open session and the sessions merged away, or why nothing was done. */
@Type("MergeCustomerSessionPayload")
@Description("The result of mergeCustomerSession.")
public class MergeCustomerSessionPayload {

    @Description("The customer's one open session after the merge, as stored (with dry: true, as it would be stored); null "
            + "when refused.")
    public CustomerSessionType customerSession;

    @NonNull
    @Description("The sessions merged away by this request (state merged, mergedInto the customer's open session), the guest "
            + "session first unless it survived; empty when the guest session was only bound to the customer, or when refused.")
    public List<@NonNull CustomerSessionType> mergedSessions;

    @NonNull
    @Description("Why the mutation was refused; empty when it succeeded. A refusal changes nothing.")
    public List<@NonNull UserError> userErrors;

    /** The response, built inside the merge's transaction (carts included), so that a response that cannot be built rolls it back. */
    static MergeCustomerSessionPayload of(MergeResult result) {
        MergeCustomerSessionPayload payload = new MergeCustomerSessionPayload();
        payload.customerSession = CustomerSessionType.withCart(result.survivor());
        payload.mergedSessions = result.merged().stream().map(CustomerSessionType::withCart).toList();
        payload.userErrors = List.of();
        return payload;
    }

    static MergeCustomerSessionPayload refused(List<UserError> errors) {
        MergeCustomerSessionPayload payload = new MergeCustomerSessionPayload();
        payload.mergedSessions = List.of();
        payload.userErrors = errors;
        return payload;
    }
}
