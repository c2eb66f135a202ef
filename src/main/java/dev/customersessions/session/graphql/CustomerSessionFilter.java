package dev.customersessions.session.graphql;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

import dev.customersessions.session.SessionFilter;
import dev.customersessions.session.SessionState;

/** Which sessions a listing shows. */
@Input("CustomerSessionFilter")
@Description("Which sessions to list; every field given must match.")
public class CustomerSessionFilter {

    @Description("Only sessions of this customer profile.")
    public String profileId;

    @Description("Only sessions in this state.")
    public SessionState state;

    @Description("Only sessions created at or after this moment.")
    public OffsetDateTime createdFrom;

    @Description("Only sessions created before this moment.")
    public OffsetDateTime createdBefore;

    @Description("Only sessions holding this coupon code.")
    public String couponCode;

    static SessionFilter toFilter(CustomerSessionFilter filter) {
        return filter == null ? SessionFilter.NONE
                : new SessionFilter(filter.profileId, filter.state, filter.createdFrom, filter.createdBefore, filter.couponCode);
    }
}
