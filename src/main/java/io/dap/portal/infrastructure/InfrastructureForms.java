package io.dap.portal.infrastructure;

import java.util.Map;

import io.dap.portal.web.FormErrors;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.SingleLineText;

/** Validation of the infrastructure and drive forms (and of the same fields in the JSON API): the message goes next to the field. */
public final class InfrastructureForms {

    public static final int MAX_LABEL = 100;
    public static final int MAX_DESCRIPTION = 1000;
    public static final int MAX_DEPARTMENT = 100;

    private InfrastructureForms() {
    }

    /** Normalised and trimmed (SingleLineText); whether it is acceptable is checked below. */
    public static String clean(String value) {
        return SingleLineText.of(value, Integer.MAX_VALUE).value();
    }

    /** The three fields of the infrastructure forms; an empty department means none. */
    public static FormErrors infrastructure(String label, String description, String department) {
        FormErrors errors = new FormErrors();
        if (label.isEmpty()) {
            errors.add("label", "Give the infrastructure a name.");
        } else {
            SingleLineText.of(label, MAX_LABEL).check(errors, "label");
        }
        SingleLineText.of(description, MAX_DESCRIPTION).check(errors, "description");
        SingleLineText.of(department, MAX_DEPARTMENT).check(errors, "department");
        return errors;
    }

    /** A cleaned department as stored: null when blank, so "none" has one spelling. */
    public static String department(String cleaned) {
        return cleaned == null || cleaned.isEmpty() ? null : cleaned;
    }

    /** The size in GB, or null with an error recorded. */
    public static Integer drive(String label, String size, PortalConfig.Drives bounds, FormErrors errors) {
        if (label.isEmpty()) {
            errors.add("driveLabel", "Give the drive a name.");
        } else {
            SingleLineText.of(label, MAX_LABEL).check(errors, "driveLabel");
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

    public static Map<String, String> values(String... nameValuePairs) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            values.put(nameValuePairs[i], nameValuePairs[i + 1] == null ? "" : nameValuePairs[i + 1]);
        }
        return values;
    }
}
