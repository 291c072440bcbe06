package io.dap.portal.switching;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.dap.portal.access.CurrentUser;

/** The switch-account menu of the header ({@code inject:switcher}), computed once per page. */
@Named("switcher")
@RequestScoped
public class SwitchMenu {

    static final int MENU_SIZE = 6;

    @Inject
    CurrentUser currentUser;

    @Inject
    SwitchAccountService switching;

    private SwitchAccountService.Menu menu;

    public SwitchAccountService.Menu menu() {
        if (menu == null) {
            menu = switching.menu(currentUser.get(), MENU_SIZE);
        }
        return menu;
    }
}
