package dev.customersessions.session.graphql;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

/** One custom attribute sent by a client: a name and exactly one typed value. */
@Input("AttributeInput")
@Description("A custom attribute: its name and exactly one of the value fields, which also gives its type.")
public class AttributeInput {

    @NonNull
    @Description("Name: a letter, then letters, digits or underscores.")
    public String name;

    @Description("A string value.")
    public String stringValue;

    @Description("An exact decimal value; send it as a string (\"1.50\") or a number.")
    public BigDecimal numberValue;

    @Description("A boolean value.")
    public Boolean booleanValue;

    @Description("A moment in time (ISO-8601 with offset).")
    public OffsetDateTime timeValue;

    @Description("A list of strings.")
    public List<@NonNull String> stringListValue;

    @Description("A list of exact decimals.")
    public List<@NonNull BigDecimal> numberListValue;
}
