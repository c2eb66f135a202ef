package dev.customersessions.common;

import java.util.function.Supplier;

/** A value computed on first use, then kept (one request's, one thread's: not thread-safe). */
public final class Lazy<T> implements Supplier<T> {

    private Supplier<T> source;
    private T value;

    private Lazy(Supplier<T> source) {
        this.source = source;
    }

    public static <T> Lazy<T> of(Supplier<T> source) {
        return new Lazy<>(source);
    }

    @Override
    public T get() {
        if (source != null) {
            value = source.get();
            source = null;
        }
        return value;
    }
}
