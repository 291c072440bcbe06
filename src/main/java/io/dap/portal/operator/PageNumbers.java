package io.dap.portal.operator;

import java.util.LinkedHashMap;
import java.util.Map;

import io.dap.portal.web.Page;

/**
 * The page numbers of a console page with several paginated lists, one query parameter each, so
 * moving through one list keeps the others where they were.
 */
public final class PageNumbers {

    private final String path;
    private final Map<String, Integer> numbers = new LinkedHashMap<>();

    public PageNumbers(String path) {
        this.path = path;
    }

    public PageNumbers with(String name, String raw) {
        numbers.put(name, Page.parseNumber(raw));
        return this;
    }

    public int of(String name) {
        return numbers.getOrDefault(name, 1);
    }

    /** The pager tag's base for the list {@code name}: the path with every other list's page. */
    public String base(String name) {
        StringBuilder base = new StringBuilder(path).append('?');
        numbers.forEach((other, number) -> {
            if (!other.equals(name) && number > 1) {
                base.append(other).append('=').append(number).append('&');
            }
        });
        return base.toString();
    }
}
