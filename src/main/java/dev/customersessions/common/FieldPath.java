package dev.customersessions.common;

import java.util.ArrayList;
import java.util.List;

/** The path of an input field, as reported in {@link UserError#field()}. Immutable. */
public record FieldPath(List<String> segments) {

    public static FieldPath of(String... segments) {
        return new FieldPath(List.of(segments));
    }

    public FieldPath then(String segment) {
        List<String> next = new ArrayList<>(segments);
        next.add(segment);
        return new FieldPath(List.copyOf(next));
    }

    public FieldPath then(int index) {
        return then(Integer.toString(index));
    }

    @Override
    public String toString() {
        return String.join(".", segments);
    }
}
