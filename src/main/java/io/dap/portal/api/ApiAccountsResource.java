package io.dap.portal.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Action;
import io.dap.portal.access.ApiCaller;
import io.dap.portal.access.CurrentUser;
import io.dap.portal.apitoken.ApiTokenService;
import io.dap.portal.usage.UsageService;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Problem;

/** The accounts a token can act in, and an account's utilization report. */
@Path("/api/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Accounts")
@SecurityScheme(securitySchemeName = ApiAccountsResource.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API token from Settings › API tokens: Authorization: Bearer dap_…")
@SecurityRequirement(name = ApiAccountsResource.BEARER)
public class ApiAccountsResource {

    static final String BEARER = "apiToken";

    @Inject
    AccessPolicy policy;

    @Inject
    CurrentUser currentUser;

    @Inject
    ApiCaller caller;

    @Inject
    ApiTokenService tokens;

    @Inject
    UsageService usage;

    @Inject
    PortalConfig config;

    @GET
    @Operation(summary = "Accounts the token can act in",
            description = "The creator's own account first, then every account shared with them now, in account order,"
                    + " narrowed to the one account of a Restricted token; page from 1, size up to "
                    + Page.MAX_SIZE + ".")
    public ApiModel.PageOf<ApiModel.AccountJson> list(@RestQuery String page, @RestQuery String size) {
        Paging paging = Paging.of(page, size, config.pageSize());
        ApiCaller.Token token = caller.token();
        Long only = token != null && !token.global() ? token.accountId() : null;
        Page<ApiTokenService.ActingAccount> found = tokens.actingAccounts(currentUser.id(), only, paging.page(),
                paging.size());
        return ApiModel.PageOf.of(found, found.items().stream().map(a -> new ApiModel.AccountJson(a.id(), a.name(),
                a.ownerName(), a.ownerEmail(), a.role(), a.infrastructureRoles().entrySet().stream()
                        .map(e -> new ApiModel.InfrastructureRoleJson(e.getKey(), e.getValue().name())).toList(),
                a.own())).toList());
    }

    @GET
    @Path("{accountId}/usage")
    @Operation(summary = "Utilization report", description = "GB-hours and cost per infrastructure and month (UTC),"
            + " and per department;"
            + " from and to are months (YYYY-MM), by default the current month and the two before it.")
    public ApiModel.UsageJson usage(@PathParam("accountId") String accountId, @RestQuery String from,
            @RestQuery String to) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.VIEW_USAGE);
        UsageService.Period period = usage.period(from, to);
        if (period.problem() != null) {
            throw new ApiException(Problem.invalid(java.util.Map.of("from", period.problem(), "to",
                    period.problem())));
        }
        return ApiModel.UsageJson.of(usage.grouped(access.accountId(), period.from(), period.to()));
    }
}
