package dev.backprop.security.web;

import dev.backprop.security.Quota;
import dev.backprop.security.Quotas;
import dev.backprop.security.Tenant;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A tenant with each quota's limit and what it uses of it. */
record TenantResponse(String id, String name, Instant createdAt, Map<String, Quotas.Usage> quotas) {

    static TenantResponse of(Tenant tenant, Map<Quota, Quotas.Usage> usage) {
        Map<String, Quotas.Usage> quotas = new LinkedHashMap<>();
        usage.forEach((quota, used) -> quotas.put(quota.wireName(), used));
        return new TenantResponse(tenant.id(), tenant.name(), tenant.createdAt(), quotas);
    }
}
