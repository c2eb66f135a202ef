package dev.customersessions.common;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Enum;

/** The stable, machine-readable codes of business refusals. */
@Enum("UserErrorCode")
@Description("Why a mutation was refused. Codes are stable: clients may switch on them.")
public enum UserErrorCode {
    @Description("An input value is malformed: too long, empty, negative, of the wrong form.")
    VALIDATION_FAILED,
    @Description("An input exceeds a count limit, such as 1000 cart items or 100 coupon codes.")
    LIMIT_EXCEEDED,
    @Description("The requested state change is not one of the legal transitions.")
    INVALID_STATE_TRANSITION,
    @Description("The session's content can only change while it is open.")
    SESSION_NOT_OPEN,
    @Description("The stored version differs from expectedVersion; the message tells the current version.")
    VERSION_CONFLICT,
    @Description("The thing named does not exist (or belongs to another application), such as a cart item position.")
    NOT_FOUND,
    @Description("An attribute name that is not defined for that entity (customer sessions or cart items) in the application.")
    UNKNOWN_ATTRIBUTE,
    @Description("An attribute value whose type differs from the attribute's definition.")
    INVALID_ATTRIBUTE_TYPE,
    @Description("An additional cost name that is not defined in the application, or not for that scope (session or item).")
    UNKNOWN_ADDITIONAL_COST,
    @Description("A return asks for more units of a cart item than remain to be returned.")
    RETURN_EXCEEDS_REMAINING,
    @Description("The session belongs to another customer (profileId) than the one it is to be bound to.")
    PROFILE_MISMATCH
}
