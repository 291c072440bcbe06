package io.dap.portal.access;

import jakarta.ws.rs.NotFoundException;

/** Ids from URLs: anything but a positive number is simply "not found" (R15), never a 500. */
public final class Ids {

    private Ids() {
    }

    public static long parse(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > 19) {
            throw new NotFoundException();
        }
        try {
            long id = Long.parseLong(raw);
            if (id <= 0) {
                throw new NotFoundException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new NotFoundException();
        }
    }
}
