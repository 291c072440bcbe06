package io.dap.portal.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Validator;

/** Bean Validation on a form object, reported per field (the Java field name is the form field name). */
@ApplicationScoped
public class FormValidator {

    @Inject
    Validator validator;

    public FormErrors validate(Object form) {
        FormErrors errors = new FormErrors();
        validator.validate(form).stream()
                .sorted((a, b) -> a.getPropertyPath().toString().compareTo(b.getPropertyPath().toString()))
                .forEach(v -> errors.add(v.getPropertyPath().toString(), v.getMessage()));
        return errors;
    }
}
