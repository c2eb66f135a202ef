package dev.customersessions.common;

/**
 * What page of a listing a client asked for: at most {@code size} elements after the one with id {@code afterId}
 * (null: from the start), in id order.
 */
public record PageRequest(int size, Long afterId) {

    /**
     * The page asked for with {@code first} and {@code after}; {@code first} defaults to {@code defaultSize} and
     * is capped at {@code maxSize}. An unusable argument is an {@link InvalidArgumentException}.
     */
    public static PageRequest of(Integer first, String after, int defaultSize, int maxSize) {
        int size = first == null ? defaultSize : Math.min(first, maxSize);
        if (size < 1) {
            throw new InvalidArgumentException("first must be at least 1, got " + first);
        }
        return new PageRequest(size, after == null ? null : Cursor.decode(after));
    }

    /** One more than the page holds, to learn whether more follow. */
    public int fetchSize() {
        return size + 1;
    }
}
