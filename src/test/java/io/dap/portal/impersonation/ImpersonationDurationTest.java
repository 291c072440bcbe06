package io.dap.portal.impersonation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.dap.portal.web.PortalConfig;

/** R10: an impersonation lasts at most an hour; {@code portal.impersonation.max-duration} can only shorten it. */
class ImpersonationDurationTest {

    @Test
    void theSettingShortensButNeverLengthensIt() {
        assertEquals(Duration.ofMinutes(20), durationFor("PT20M"));
        assertEquals(Duration.ofHours(1), durationFor("PT1H"));
        assertEquals(Duration.ofHours(1), durationFor("PT3H"), "longer than the rule allows");
        assertEquals(Duration.ofHours(1), durationFor("PT0S"), "zero would end it at once");
        assertEquals(Duration.ofHours(1), durationFor("-PT5M"), "negative is nonsense");
    }

    private static Duration durationFor(String setting) {
        PortalConfig.Impersonation impersonation = () -> Duration.parse(setting);
        ImpersonationService service = new ImpersonationService();
        service.config = (PortalConfig) Proxy.newProxyInstance(PortalConfig.class.getClassLoader(),
                new Class<?>[] { PortalConfig.class }, (proxy, method, arguments) -> {
                    if (method.getName().equals("impersonation")) {
                        return impersonation;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return service.duration();
    }
}
