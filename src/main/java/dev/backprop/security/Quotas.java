package dev.backprop.security;

import dev.backprop.platform.ApiException;
import dev.backprop.platform.BackpropProperties;
import dev.backprop.platform.ProblemType;
import dev.backprop.platform.ServiceFullException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Per-tenant quotas, checked before something is stored. A check counts what is stored now, so two
 * requests of one tenant racing for its last unit may both pass: a quota bounds a tenant's share, it is
 * not a ledger.
 */
@Service
public class Quotas {

    private final TenantRepository tenants;
    private final ObjectProvider<QuotaMeter> meters;
    private final AccessProperties.Quotas defaults;
    private final Duration retryAfter;

    /** The meters come lazily: the features that measure usage also check quotas. */
    Quotas(TenantRepository tenants, ObjectProvider<QuotaMeter> meters, AccessProperties properties, BackpropProperties backprop) {
        this.tenants = tenants;
        this.meters = meters;
        this.defaults = properties.quotas();
        this.retryAfter = backprop.jobs().retryAfter();
    }

    /** One quota of a tenant: its limit and what is used of it. */
    public record Usage(long limit, long used) {
    }

    public long limit(String tenant, Quota quota) {
        Long own = tenants.find(tenant).map(t -> t.quotas().get(quota)).orElse(null);
        return own != null ? own : quota.defaultLimit(defaults);
    }

    public long usage(String tenant, Quota quota) {
        return meters.orderedStream().filter(m -> m.quotas().contains(quota)).mapToLong(m -> m.usage(quota, tenant)).sum();
    }

    /** Every quota of a tenant with its usage, for admins. */
    public Map<Quota, Usage> report(String tenant) {
        Map<Quota, Usage> report = new LinkedHashMap<>();
        for (Quota quota : Quota.values()) {
            report.put(quota, new Usage(limit(tenant, quota), usage(tenant, quota)));
        }
        return report;
    }

    /**
     * Checks that the current caller's tenant can store {@code adding} more of a quota.
     *
     * @throws ApiException 413 ({@code storage-quota-exceeded}) for bytes, 429 ({@code quota-exceeded}) for counts,
     *                      with {@code Retry-After} for jobs and searches, which end by themselves
     */
    public void require(Quota quota, long adding) {
        String tenant = Caller.current().tenant();
        long limit = limit(tenant, quota);
        long used = usage(tenant, quota);
        if (used + adding <= limit) {
            return;
        }
        String detail = "quota " + quota.wireName() + " of tenant " + tenant + ": " + used + " used of " + limit
                + (adding == 1 ? "" : ", this needs " + adding) + switch (quota) {
                    case DATASET_BYTES -> "; delete data sets to make room";
                    case MODELS -> "; delete models to make room";
                    case ACTIVE_JOBS, CONCURRENT_SEARCHES -> "; retry once some have ended, or cancel some";
                };
        if (quota.status() == HttpStatus.CONTENT_TOO_LARGE) {
            throw new ApiException(ProblemType.STORAGE_QUOTA_EXCEEDED, detail);
        }
        if (quota == Quota.MODELS) {
            throw new ApiException(ProblemType.QUOTA_EXCEEDED, detail);
        }
        throw new ServiceFullException(ProblemType.QUOTA_EXCEEDED, detail, retryAfter);
    }
}
