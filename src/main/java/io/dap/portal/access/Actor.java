package io.dap.portal.access;

/** Who acts: the real, signed-in user. (Impersonation and API tokens will carry more here.) */
public record Actor(Long userId, String email, String displayName) {
}
