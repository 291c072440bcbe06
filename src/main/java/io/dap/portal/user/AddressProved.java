package io.dap.portal.user;

/**
 * A user proved an address that an unactivated placeholder held (an invitation or a sign-up nobody
 * completed). Fired inside the transaction, before the placeholder is retired, so what waited for
 * that address (pending invitations) can follow the person who proved it.
 */
public record AddressProved(Long userId, Long placeholderId, String email) {
}
