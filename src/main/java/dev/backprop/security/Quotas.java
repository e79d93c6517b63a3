package dev.backprop.security;

import dev.backprop.platform.ApiException;
import dev.backprop.platform.BackpropProperties;
import dev.backprop.platform.ProblemType;
import dev.backprop.platform.ServiceFullException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Per-tenant and service-wide quotas. {@link #require} checks before work that is refused early (an upload before its
 * body is read); {@link #admit} stores and checks in one transaction under one lock, so that of requests racing for a
 * quota's last unit exactly one gets it.
 */
@Service
public class Quotas {

    private final TenantRepository tenants;
    private final ObjectProvider<QuotaMeter> meters;
    private final AccessProperties.Quotas defaults;
    private final AccessProperties.ServiceQuotas service;
    private final Duration retryAfter;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    /** The meters come lazily: the features that measure usage also check quotas. */
    Quotas(TenantRepository tenants, ObjectProvider<QuotaMeter> meters, AccessProperties properties, BackpropProperties backprop,
           JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.tenants = tenants;
        this.meters = meters;
        this.defaults = properties.quotas();
        this.service = properties.serviceQuotas();
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

    /** The whole service's limit of a quota (Long.MAX_VALUE when only the queue's capacity bounds it). */
    public long serviceLimit(Quota quota) {
        return quota.serviceLimit(service);
    }

    public long serviceUsage(Quota quota) {
        return meters.orderedStream().filter(m -> m.quotas().contains(quota)).mapToLong(m -> m.serviceUsage(quota)).sum();
    }

    /**
     * Checks that the current caller's tenant, and the service as a whole, can store {@code adding} more of a quota.
     * At a limit the new thing is refused; nothing stored is deleted to make room. The problem names the quota, whose
     * it is ({@code scope}: tenant or service), its {@code limit} and what is {@code used}.
     *
     * @throws ApiException 413 ({@code storage-quota-exceeded}, {@code service-storage-quota-exceeded}) for bytes, 429
     *                      ({@code quota-exceeded}, {@code service-quota-exceeded}) for counts, with {@code Retry-After}
     *                      for jobs and searches, which end by themselves
     */
    public void require(Quota quota, long adding) {
        check(quota, adding, 0);
    }

    /**
     * Stores something that counts {@code adding} towards quotas, checked as {@link #require} does, atomically:
     * {@code store} runs in a transaction (joining the caller's), then the quota lock is taken and each quota's usage
     * counted with what was just stored; over a limit the transaction rolls back and nothing is stored. The lock is held
     * from the count to the commit only, so stores take turns for the count and not for their writes, and each count
     * sees every store that got the lock before it: of requests racing for a quota's last unit, one gets it.
     *
     * @throws ApiException as {@link #require} does, with nothing stored
     */
    public <T> T admit(Map<Quota, Long> adding, Supplier<T> store) {
        return transactions.execute(transaction -> {
            T stored = store.get();
            jdbc.sql("SELECT id FROM quota_lock WHERE id = 1 FOR UPDATE").query(Integer.class).single();
            adding.forEach((quota, amount) -> check(quota, amount, amount));
            return stored;
        });
    }

    /** Checks room for {@code adding} more of a quota, of which the usage measured already counts {@code counted}. */
    private void check(Quota quota, long adding, long counted) {
        String tenant = Caller.current().tenant();
        long limit = limit(tenant, quota);
        long used = usage(tenant, quota) - counted;
        if (used + adding > limit) {
            throw refusal(quota, "tenant " + tenant, limit, used, adding, quota.status() == HttpStatus.CONTENT_TOO_LARGE
                    ? ProblemType.STORAGE_QUOTA_EXCEEDED : ProblemType.QUOTA_EXCEEDED).with("scope", "tenant");
        }
        long serviceLimit = serviceLimit(quota);
        if (serviceLimit == Long.MAX_VALUE) {
            return;
        }
        long serviceUsed = serviceUsage(quota) - counted;
        if (serviceUsed + adding > serviceLimit) {
            throw refusal(quota, "the service", serviceLimit, serviceUsed, adding, quota.status() == HttpStatus.CONTENT_TOO_LARGE
                    ? ProblemType.SERVICE_STORAGE_QUOTA_EXCEEDED : ProblemType.SERVICE_QUOTA_EXCEEDED).with("scope", "service");
        }
    }

    private ApiException refusal(Quota quota, String whose, long limit, long used, long adding, ProblemType type) {
        String detail = "quota " + quota.wireName() + " of " + whose + ": " + used + " used of " + limit
                + (adding == 1 ? "" : ", this needs " + adding) + switch (quota) {
                    case DATASET_BYTES, DATASETS -> "; delete data sets to make room";
                    case MODELS -> "; delete models to make room";
                    case HISTORY_EPOCHS -> "; delete ended jobs to make room (their models stay)";
                    case ACTIVE_JOBS, CONCURRENT_SEARCHES -> "; retry once some have ended, or cancel some";
                };
        ApiException refused = quota == Quota.ACTIVE_JOBS || quota == Quota.CONCURRENT_SEARCHES
                ? new ServiceFullException(type, detail, retryAfter) : new ApiException(type, detail);
        return refused.with("quota", quota.wireName()).with("limit", limit).with("used", used);
    }
}
