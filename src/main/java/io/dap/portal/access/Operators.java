package io.dap.portal.access;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dap.portal.web.PortalConfig;

/**
 * Who the operators are (R21): the addresses in {@code portal.operators}, compared the way the
 * portal compares addresses. Being named here gives no right in anyone's account; the console
 * asks {@code operator/OperatorPolicy}, which also requires a second factor.
 */
@ApplicationScoped
public class Operators {

    @Inject
    PortalConfig config;

    private volatile Set<String> addresses;

    public boolean isOperator(String email) {
        return email != null && addresses().contains(email.strip().toLowerCase(Locale.ROOT));
    }

    private Set<String> addresses() {
        if (addresses == null) {
            addresses = config.operators().orElse(List.of()).stream()
                    .map(a -> a.strip().toLowerCase(Locale.ROOT)).filter(a -> !a.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
        }
        return addresses;
    }
}
