package dev.backprop.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call, under {@code backprop.security}.
 *
 * @param mode           {@code auto} (keys unless none exists and the service listens on loopback only), {@code open} or {@code keys}
 * @param adminKey       the admin key (env {@code BACKPROP_SECURITY_ADMIN_KEY}); when absent and keys are needed one is generated on first start and logged once
 * @param allowedOrigins browser origins allowed to call the API cross-origin (CORS); none by default
 * @param rateLimits     requests one key may make
 * @param quotas         what one tenant may hold, unless its own quotas say otherwise
 * @param serviceQuotas  what the whole service may hold, all tenants together
 */
@ConfigurationProperties("backprop.security")
public record AccessProperties(@DefaultValue("auto") SecurityMode mode,
                               String adminKey,
                               @DefaultValue List<String> allowedOrigins,
                               @DefaultValue RateLimits rateLimits,
                               @DefaultValue Quotas quotas,
                               @DefaultValue ServiceQuotas serviceQuotas) {

    /**
     * Token buckets per key: each holds a minute's worth of requests and refills evenly; 0 turns a limit off.
     * Requests without a key (the keyless local mode) are not limited.
     *
     * @param submitsPerMinute {@code POST /jobs} of one key per minute
     * @param predictsPerMinute {@code POST /models/{id}/predict} and {@code /evaluate} of one key per minute
     */
    public record RateLimits(@DefaultValue("60") int submitsPerMinute,
                             @DefaultValue("6000") int predictsPerMinute) {
    }

    /**
     * The default quotas of a tenant; a tenant created with its own quotas uses those.
     *
     * @param datasetBytes        stored data set bytes (columnar encoding)
     * @param models              stored models
     * @param activeJobs          queued and running jobs, searches included
     * @param concurrentSearches  queued and running searches
     * @param datasets            stored data sets
     * @param historyEpochs       stored epochs of training histories (about 100 bytes each; one run stores at most
     *                            {@code backprop.history.exact-epochs + thinned-epochs + 1})
     */
    public record Quotas(@DefaultValue("1073741824") long datasetBytes,
                         @DefaultValue("1000") long models,
                         @DefaultValue("100") long activeJobs,
                         @DefaultValue("10") long concurrentSearches,
                         @DefaultValue("1000") long datasets,
                         @DefaultValue("10000000") long historyEpochs) {
    }

    /**
     * The limits of the whole service, over every tenant: what its disk is sized for. At a limit new uploads, models
     * and jobs are refused (413/429 naming the limit); nothing stored is ever deleted to make room.
     *
     * @param datasetBytes  stored data set bytes (columnar encoding)
     * @param datasets      stored data sets
     * @param models        stored models
     * @param historyEpochs stored epochs of training histories (about 100 bytes each)
     */
    public record ServiceQuotas(@DefaultValue("107374182400") long datasetBytes,
                                @DefaultValue("100000") long datasets,
                                @DefaultValue("100000") long models,
                                @DefaultValue("200000000") long historyEpochs) {
    }
}
