package io.dap.portal.access;

/**
 * AccessPolicy refused an actor (R13): fired so the audit log (a feature above access) records it,
 * synchronously, before the 404 or 403 leaves. {@code notFound} tells a target the actor may not
 * see from one they see but may not change (R15).
 */
public record AccessRefused(Long userId, String email, Long accountId, boolean notFound, String target) {
}
