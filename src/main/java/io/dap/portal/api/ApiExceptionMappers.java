package io.dap.portal.api;

import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.dap.portal.web.Problem;

/**
 * The API's own errors and unreadable JSON bodies, as 400 problems naming the field. Other errors
 * (404, 403, 405, 415, 500 …) go through ErrorPages, which answers a problem under {@code /api/}.
 */
public class ApiExceptionMappers {

    @ServerExceptionMapper
    public Response problem(ApiException e) {
        return e.problem().response();
    }

    /** A value of the wrong type, e.g. {@code "sizeGb": "big"}: named by its JSON path. Wins over Jackson's own mapper. */
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response malformed(JsonParseException e) {
        Problem duplicate = Problem.duplicateField(e);
        return (duplicate != null ? duplicate : Problem.invalid(Map.of("body", "The body is not valid JSON.")))
                .response();
    }

    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response unreadable(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
                    .collect(Collectors.joining("."));
            return Problem.invalid(Map.of(field, "This value has the wrong type.")).response();
        }
        return Problem.invalid(Map.of("body", "The body is not valid JSON for this request.")).response();
    }
}
