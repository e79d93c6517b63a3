package dev.backprop.security;

import java.util.Set;

/**
 * How much of a quota a tenant uses, measured by the feature that owns the objects (data sets, models,
 * jobs), so that this package needs none of them.
 */
public interface QuotaMeter {

    /** The quotas this meter measures. */
    Set<Quota> quotas();

    /** The tenant's current usage of one of {@link #quotas()}. */
    long usage(Quota quota, String tenant);

    /** The whole service's usage of one of {@link #quotas()}, every tenant together. */
    long serviceUsage(Quota quota);
}
