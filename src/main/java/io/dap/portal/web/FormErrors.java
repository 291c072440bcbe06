package io.dap.portal.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Errors of one submitted form: at most one message per field, in the order they were found. */
public final class FormErrors {

    private final Map<String, String> fields = new LinkedHashMap<>();

    public FormErrors add(String field, String message) {
        fields.putIfAbsent(field, message);
        return this;
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /** In the order found, which is the order the error summary lists them in. */
    public Map<String, String> fields() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public String summary() {
        return fields.size() == 1 ? "Please correct the highlighted field." : "Please correct the highlighted fields.";
    }
}
