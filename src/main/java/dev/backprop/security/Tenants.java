package dev.backprop.security;

import dev.backprop.platform.ApiException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/** Tenants: made by an admin, listed with their quotas and usage. */
@Service
public class Tenants {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final TenantRepository tenants;
    private final Clock clock;

    Tenants(TenantRepository tenants, Clock clock) {
        this.tenants = tenants;
        this.clock = clock;
    }

    /**
     * Makes a tenant.
     *
     * @throws ApiException 400 for an id that is not lowercase letters, digits and dashes, 409 when it exists
     */
    public Tenant create(String id, String name, Map<Quota, Long> quotas) {
        if (id == null || !ID.matcher(id).matches()) {
            throw ApiException.invalid("id", "must be 1 to 64 lowercase letters, digits and dashes, starting with a letter or digit");
        }
        if (name != null && name.length() > 200) {
            throw ApiException.invalid("name", "is " + name.length() + " characters long; the limit is 200");
        }
        quotas.forEach((quota, limit) -> {
            if (limit < 0) {
                throw ApiException.invalid("quotas." + quota.wireName(), "must be at least 0");
            }
        });
        if (tenants.find(id).isPresent()) {
            throw new ApiException(dev.backprop.platform.ProblemType.TENANT_EXISTS, "tenant " + id + " exists");
        }
        Tenant tenant = new Tenant(id, name == null || name.isBlank() ? id : name, clock.instant(), Map.copyOf(quotas));
        tenants.insert(tenant);
        return tenant;
    }

    public Tenant get(String id) {
        return tenants.find(id).orElseThrow(() -> ApiException.notFound("tenant", id));
    }

    public List<Tenant> list() {
        return tenants.findAll();
    }
}
