package io.dap.portal.pages.switching;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;

import io.dap.portal.access.CurrentUser;
import io.dap.portal.switching.SwitchAccountService;
import io.dap.portal.switching.SwitchMenu;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The full Switch account page: search and pagination for people with many shared accounts (R12). */
@Path("/switch")
@Produces(MediaType.TEXT_HTML)
public class SwitchAccountResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance switchAccount(SwitchAccountService.Choice own,
                List<SwitchAccountService.Choice> recent, Page<SwitchAccountService.Choice> accounts, String search,
                String pagerBase);
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    SwitchAccountService switching;

    @Inject
    SwitchMenu menu;

    @Inject
    PortalConfig config;

    @GET
    public TemplateInstance page(@RestQuery String q, @RestQuery @DefaultValue("1") String page) {
        var user = currentUser.get();
        String search = q == null ? "" : q.strip();
        if (search.length() > 254) {
            search = search.substring(0, 254);
        }
        Page<SwitchAccountService.Choice> accounts = switching.shared(user.userId(), search, Page.parseNumber(page),
                config.pageSize());
        String pagerBase = "/switch?" + (search.isEmpty() ? "" : "q=" + URLEncoder.encode(search,
                StandardCharsets.UTF_8) + "&");
        // The recently used ones are the header's menu, already read for this page.
        var recent = search.isEmpty() && accounts.number() == 1 ? menu.menu().recent() : List.<SwitchAccountService.Choice>of();
        return Templates.switchAccount(SwitchAccountService.own(user), recent, accounts, search, pagerBase);
    }
}
