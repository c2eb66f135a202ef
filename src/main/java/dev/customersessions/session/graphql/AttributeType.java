package dev.customersessions.session.graphql;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.common.AttributeKind;

/** One custom attribute as served: its name, its type, and the one value field of that type. */
@Type("Attribute")
@Description("A custom attribute: its name, its type, and the value in the field of that type (the others are null).")
public class AttributeType {

    @NonNull
    @Description("The attribute's name.")
    public String name;

    @NonNull
    @Description("The value's type: says which value field is set.")
    public AttributeKind type;

    @Description("The value, when type is STRING.")
    public String stringValue;

    @Description("The value, when type is NUMBER.")
    public BigDecimal numberValue;

    @Description("The value, when type is BOOLEAN.")
    public Boolean booleanValue;

    @Description("The value, when type is TIME (UTC).")
    public OffsetDateTime timeValue;

    @Description("The value, when type is STRING_LIST.")
    public List<@NonNull String> stringListValue;

    @Description("The value, when type is NUMBER_LIST.")
    public List<@NonNull BigDecimal> numberListValue;
}
