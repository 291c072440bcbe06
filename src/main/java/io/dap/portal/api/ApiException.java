package io.dap.portal.api;

import io.dap.portal.web.Problem;

/** Ends an API call with a problem response (400 with field errors, 409 with the reason …). */
public class ApiException extends RuntimeException {

    private final transient Problem problem;

    public ApiException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(Problem.invalid(java.util.Map.of(field, message)));
    }

    public Problem problem() {
        return problem;
    }
}
