package io.dap.portal.web;

import java.util.List;

import io.quarkus.hibernate.orm.panache.PanacheQuery;

/**
 * One page of a list, 1-based, with what the pager tag needs. Lists that can grow without bound
 * are not counted ({@link #slice}): such a page knows only whether another one follows, so it
 * costs what it shows, not what the list holds.
 */
public record Page<T>(List<T> items, int number, int size, long total, boolean counted, boolean more) {

    public static final int MAX_SIZE = 100;

    /** A counted page: {@code total} rows in all. */
    public Page(List<T> items, int number, int size, long total) {
        this(items, number, size, total, true, false);
    }

    /**
     * A page of a list nobody counted: the query asked for one row more than the page holds, and
     * {@code more} says whether it came back.
     */
    public static <T> Page<T> slice(List<T> items, int number, int size, boolean more) {
        return new Page<>(items, number, size, -1, false, more);
    }

    /** Out-of-range page numbers are clamped, never an error. */
    public static <T> Page<T> of(PanacheQuery<T> query, int requestedPage, int requestedSize) {
        int size = Math.max(1, Math.min(requestedSize, MAX_SIZE));
        long total = query.count();
        int number = clampNumber(requestedPage, total, size);
        List<T> items = query.page(number - 1, size).list();
        return new Page<>(items, number, size, total);
    }

    /** The requested page number, brought within 1 .. the last page of {@code total} rows. */
    public static int clampNumber(int requestedPage, long total, int size) {
        int last = (int) Math.max(1, (total + size - 1) / size);
        return Math.max(1, Math.min(requestedPage, last));
    }

    /** A LIKE pattern matching values that contain {@code text} literally (escape character: backslash). */
    public static String containsPattern(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** A page number from a query string; anything unreadable is the first page. */
    public static int parseNumber(String raw) {
        try {
            return Math.max(1, Integer.parseInt(raw));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** The same page with each row turned into what the template shows. */
    public <R> Page<R> map(java.util.function.Function<? super T, ? extends R> mapper) {
        return new Page<>(items.stream().<R>map(mapper).toList(), number, size, total, counted, more);
    }

    public int totalPages() {
        return counted ? (int) Math.max(1, (total + size - 1) / size) : more ? number + 1 : number;
    }

    public boolean hasPrevious() {
        return number > 1;
    }

    public boolean hasNext() {
        return counted ? number < totalPages() : more;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Not {@code previous()}: templates read {@code hasPrevious()} as the property "previous" too. */
    public int previousNumber() {
        return number - 1;
    }

    public int nextNumber() {
        return number + 1;
    }

    public long firstRow() {
        return items.isEmpty() ? 0 : (long) (number - 1) * size + 1;
    }

    public long lastRow() {
        return (long) (number - 1) * size + items.size();
    }
}
