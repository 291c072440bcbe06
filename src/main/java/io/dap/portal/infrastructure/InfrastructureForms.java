package io.dap.portal.infrastructure;

import java.util.Map;

import io.dap.portal.web.FormErrors;
import io.dap.portal.web.PortalConfig;

/** Validation of the infrastructure and drive forms (and of the same fields in the JSON API): the message goes next to the field. */
public final class InfrastructureForms {

    public static final int MAX_LABEL = 100;
    public static final int MAX_DESCRIPTION = 1000;

    private InfrastructureForms() {
    }

    public static String clean(String value) {
        return value == null ? "" : value.strip();
    }

    public static FormErrors infrastructure(String label, String description) {
        FormErrors errors = new FormErrors();
        if (label.isEmpty()) {
            errors.add("label", "Give the infrastructure a name.");
        } else if (label.length() > MAX_LABEL) {
            errors.add("label", "Use at most " + MAX_LABEL + " characters.");
        }
        if (description.length() > MAX_DESCRIPTION) {
            errors.add("description", "Use at most " + MAX_DESCRIPTION + " characters.");
        }
        return errors;
    }

    /** The size in GB, or null with an error recorded. */
    public static Integer drive(String label, String size, PortalConfig.Drives bounds, FormErrors errors) {
        if (label.isEmpty()) {
            errors.add("driveLabel", "Give the drive a name.");
        } else if (label.length() > MAX_LABEL) {
            errors.add("driveLabel", "Use at most " + MAX_LABEL + " characters.");
        }
        String range = "Enter a whole number of GB from " + bounds.minSizeGb() + " to " + bounds.maxSizeGb() + ".";
        int sizeGb;
        try {
            sizeGb = Integer.parseInt(clean(size));
        } catch (NumberFormatException e) {
            errors.add("sizeGb", range);
            return null;
        }
        if (sizeGb < bounds.minSizeGb() || sizeGb > bounds.maxSizeGb()) {
            errors.add("sizeGb", range);
            return null;
        }
        return sizeGb;
    }

    static Map<String, String> values(String... nameValuePairs) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            values.put(nameValuePairs[i], nameValuePairs[i + 1] == null ? "" : nameValuePairs[i + 1]);
        }
        return values;
    }
}
