package dev.backprop.security;

import java.time.Instant;
import java.util.Map;

/**
 * A tenant: the owner of jobs, data sets, models and trials, which other tenants cannot see.
 *
 * @param id        its id, lowercase letters, digits and dashes
 * @param name      its display name
 * @param createdAt when it was made
 * @param quotas    its own quota limits; a quota absent here has the configured default
 */
public record Tenant(String id, String name, Instant createdAt, Map<Quota, Long> quotas) {
}
