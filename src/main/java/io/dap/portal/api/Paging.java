package io.dap.portal.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.dap.portal.web.Page;
import io.dap.portal.web.Problem;

/** The {@code page} and {@code size} query parameters of every paginated API list, checked alike. */
record Paging(int page, int size) {

    /** Absent values take their defaults; anything else that is not a whole number in range is a 400 naming it. */
    static Paging of(String rawPage, String rawSize, int defaultSize) {
        Map<String, String> errors = new LinkedHashMap<>();
        int page = positive(rawPage, 1, Integer.MAX_VALUE, "page", errors);
        int size = positive(rawSize, defaultSize, Page.MAX_SIZE, "size", errors);
        if (!errors.isEmpty()) {
            throw new ApiException(Problem.invalid(errors));
        }
        return new Paging(page, size);
    }

    private static int positive(String raw, int fallback, int max, String field, Map<String, String> errors) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.put(field, max == Integer.MAX_VALUE ? "Use a whole number from 1." : "Use a whole number from 1 to " + max + ".");
        return fallback;
    }
}
