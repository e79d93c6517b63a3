package dev.backprop.security;

import java.time.Instant;

/**
 * A stored API key, without its secret (only its hash is stored, and it never leaves the repository).
 *
 * @param id         the public part of the key
 * @param tenant     the tenant it acts for
 * @param name       what its owner calls it, for the audit
 * @param role       what it may do
 * @param createdAt  when it was made
 * @param lastUsedAt when it last authenticated a request (to the minute); null if never
 * @param revokedAt  when it was revoked; null while valid
 */
public record ApiKey(String id, String tenant, String name, Role role, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
}
