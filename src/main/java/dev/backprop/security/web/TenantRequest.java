package dev.backprop.security.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * A tenant to make.
 *
 * @param id     lowercase letters, digits and dashes
 * @param name   a display name; the id when absent
 * @param quotas limits of its own by quota name (dataset-bytes, models, active-jobs, concurrent-searches); absent ones take the defaults
 */
record TenantRequest(@Schema(example = "acme") String id, String name, Map<String, Long> quotas) {
}
