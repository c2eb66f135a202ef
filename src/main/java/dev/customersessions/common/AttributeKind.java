package dev.customersessions.common;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Enum;

/** The value types a custom attribute can have (spec section 2). */
@Enum("AttributeType")
@Description("The type of a custom attribute's value.")
public enum AttributeKind {
    @Description("A string: stringValue.")
    STRING,
    @Description("An exact decimal: numberValue.")
    NUMBER,
    @Description("true or false: booleanValue.")
    BOOLEAN,
    @Description("A moment in time: timeValue.")
    TIME,
    @Description("A list of strings: stringListValue.")
    STRING_LIST,
    @Description("A list of exact decimals: numberListValue.")
    NUMBER_LIST;

    /** The field of AttributeInput and Attribute that holds a value of this type: stringValue, numberValue, ... */
    public String valueField() {
        return switch (this) {
            case STRING -> "stringValue";
            case NUMBER -> "numberValue";
            case BOOLEAN -> "booleanValue";
            case TIME -> "timeValue";
            case STRING_LIST -> "stringListValue";
            case NUMBER_LIST -> "numberListValue";
        };
    }
}
