package dev.backprop.security.web;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A key to make.
 *
 * @param tenant the tenant it acts for
 * @param name   what it is for, shown in the audit
 * @param role   admin, member or predict-only
 */
record KeyRequest(@Schema(example = "acme") String tenant, @Schema(example = "ci") String name,
                  @Schema(allowableValues = {"admin", "member", "predict-only"}) String role) {
}
