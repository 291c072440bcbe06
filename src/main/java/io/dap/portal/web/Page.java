package io.dap.portal.web;

import java.util.List;

import io.quarkus.hibernate.orm.panache.PanacheQuery;

/** One page of a list, 1-based, with what the pager tag needs. */
public record Page<T>(List<T> items, int number, int size, long total) {

    public static final int MAX_SIZE = 100;

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

    public int totalPages() {
        return (int) Math.max(1, (total + size - 1) / size);
    }

    public boolean hasPrevious() {
        return number > 1;
    }

    public boolean hasNext() {
        return number < totalPages();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public int previous() {
        return number - 1;
    }

    public int next() {
        return number + 1;
    }

    public long firstRow() {
        return total == 0 ? 0 : (long) (number - 1) * size + 1;
    }

    public long lastRow() {
        return (long) (number - 1) * size + items.size();
    }
}
