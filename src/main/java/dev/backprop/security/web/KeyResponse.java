package dev.backprop.security.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backprop.security.ApiKey;
import java.time.Instant;

/**
 * A key as listed: never its text, which only the answer that made it carries ({@code key}).
 *
 * @param key the key itself, in the answer to its creation only: store it, it is not shown again
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record KeyResponse(String id, String tenant, String name, String role, Instant createdAt, Instant lastUsedAt,
                   Instant revokedAt, String key) {

    static KeyResponse of(ApiKey key) {
        return new KeyResponse(key.id(), key.tenant(), key.name(), key.role().wireName(), key.createdAt(), key.lastUsedAt(),
                key.revokedAt(), null);
    }

    static KeyResponse created(ApiKey key, String text) {
        return new KeyResponse(key.id(), key.tenant(), key.name(), key.role().wireName(), key.createdAt(), null, null, text);
    }
}
