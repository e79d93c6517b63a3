package dev.backprop.security;

import dev.backprop.platform.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * API keys: made (shown once), checked, listed without secrets, revoked. Also decides at start whether
 * keys are needed and, if so and no admin key exists, makes one and logs it once: the only time a key is
 * ever written to the log.
 */
@Service
public class ApiKeys {

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

    /** last_used_at is a hint to the minute: writing it on every request would cost a commit each. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    /** The id of the configured admin key, which has no row. */
    static final String CONFIGURED_ADMIN_ID = "configured-admin";

    private final ApiKeyRepository keys;
    private final TenantRepository tenants;
    private final AccessGate gate;
    private final Clock clock;
    private final byte[] configuredAdminHash;
    private final Map<String, Instant> touched = new ConcurrentHashMap<>();

    /**
     * How long a key found valid in the database is taken as still valid without reading its row again. Every request
     * with a key read it (a query and a transaction per request); a revocation here takes effect at once (it drops
     * the key from {@link #verified}), one on another replica sharing the database within this time.
     */
    static final Duration VERIFIED_FOR = Duration.ofSeconds(2);

    /** Keys found valid, by id, with their row and when they were read; the presented key is checked against the hash every time. */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(ApiKeyRepository.Stored stored, Instant readAt) {
    }

    ApiKeys(ApiKeyRepository keys, TenantRepository tenants, AccessGate gate, AccessProperties properties, Clock clock) {
        this.keys = keys;
        this.tenants = tenants;
        this.gate = gate;
        this.clock = clock;
        String adminKey = properties.adminKey() == null || properties.adminKey().isBlank() ? null : properties.adminKey().strip();
        this.configuredAdminHash = adminKey == null ? null : KeySecrets.hash(adminKey);
        start(adminKey);
    }

    private void start(String adminKey) {
        gate.keysExist(adminKey != null || keys.countValid() > 0);
        if (adminKey != null && adminKey.length() < 22) {
            log.warn("backprop.security.admin-key is {} characters long; use at least 22 random ones (128 bits)", adminKey.length());
        }
        switch (gate.mode()) {
            case OPEN -> log.warn("\n\n    SECURITY IS OFF (backprop.security.mode=open): every request on {} is served without "
                    + "an API key, as an admin of the default tenant.\n    Run it like this only behind a gateway that authenticates.\n", gate.address());
            case AUTO -> {
                if (!gate.keysRequired()) {
                    log.info("Backprop listens on {} only and serves requests without API keys (one default tenant). "
                            + "Set BACKPROP_SECURITY_ADMIN_KEY to require keys and listen beyond this machine.", gate.address());
                } else if (!gate.loopback() && adminKey == null && keys.countValid() == 0) {
                    throw new IllegalStateException("Refusing to start: Backprop would listen on " + gate.address()
                            + " with no API key. Set backprop.security.admin-key (env BACKPROP_SECURITY_ADMIN_KEY), or "
                            + "backprop.security.mode=keys to have one generated, or server.address=127.0.0.1 to stay on "
                            + "this machine, or backprop.security.mode=open to run without keys (behind a gateway).");
                }
            }
            case KEYS -> {
            }
        }
        if (gate.keysRequired()) {
            ensureAdminKey();
            log.info("API keys are required on {} (Authorization: Bearer <key>)", gate.address());
        }
    }

    /** Makes an admin key when none is configured or stored, and logs it once. */
    private void ensureAdminKey() {
        if (configuredAdminHash != null || keys.countValidAdmins() > 0) {
            return;
        }
        CreatedKey admin = insert(Caller.DEFAULT_TENANT, "admin (generated)", Role.ADMIN);
        log.warn("\n\n    Generated the admin key (shown only this once, stored only as a hash):\n\n    {}\n\n"
                + "    Call /admin/tenants and /admin/keys with it (Authorization: Bearer <key>).\n", admin.text());
    }

    /** A key just made, with its text: the only moment the text exists outside the client. */
    public record CreatedKey(ApiKey key, String text) {
    }

    /**
     * Makes a key for a tenant.
     *
     * @throws ApiException 404 when the tenant does not exist
     */
    public CreatedKey create(String tenant, String name, Role role) {
        if (tenants.find(tenant).isEmpty()) {
            throw ApiException.notFound("tenant", tenant);
        }
        CreatedKey created = insert(tenant, name, role);
        boolean wasOpen = !gate.keysRequired();
        gate.keysExist(true);
        if (wasOpen && gate.keysRequired()) {
            log.info("The first API key exists: from now on every request needs one");
            ensureAdminKey();
        }
        return created;
    }

    private CreatedKey insert(String tenant, String name, Role role) {
        KeySecrets.NewKey generated = KeySecrets.generate();
        ApiKey key = new ApiKey(generated.id(), tenant, name, role, clock.instant(), null, null);
        keys.insert(key, KeySecrets.hashHex(generated.text()));
        return new CreatedKey(key, generated.text());
    }

    /** The caller a presented key stands for; empty for an unknown, revoked or wrong key. */
    public Optional<Caller> authenticate(String presented) {
        if (configuredAdminHash != null && KeySecrets.matches(presented, configuredAdminHash)) {
            return Optional.of(new Caller(Caller.DEFAULT_TENANT, "admin", Role.ADMIN, CONFIGURED_ADMIN_ID));
        }
        String id = KeySecrets.idOf(presented);
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Verified known = verified.get(id);
        Optional<ApiKeyRepository.Stored> found;
        if (known != null && Duration.between(known.readAt(), now).compareTo(VERIFIED_FOR) < 0) {
            found = Optional.of(known.stored());
        } else {
            found = keys.find(id).filter(stored -> stored.key().revokedAt() == null);
            found.ifPresentOrElse(stored -> verified.put(id, new Verified(stored, now)), () -> verified.remove(id));
        }
        return found
                .filter(stored -> KeySecrets.matches(presented, stored.hash()))
                .map(stored -> {
                    touch(id);
                    ApiKey key = stored.key();
                    return new Caller(key.tenant(), key.name(), key.role(), key.id());
                });
    }

    private void touch(String id) {
        Instant now = clock.instant();
        Instant last = touched.get(id);
        if (last == null || Duration.between(last, now).compareTo(TOUCH_INTERVAL) >= 0) {
            touched.put(id, now);
            keys.touch(id, now);
        }
    }

    /** Every key (of one tenant, or of all when null), without secrets. */
    public List<ApiKey> list(String tenant) {
        return keys.findAll(tenant);
    }

    /**
     * Revokes a key: from now on it is a 401.
     *
     * @throws ApiException 404 when no valid key has the id
     */
    public void revoke(String id) {
        if (!keys.revoke(id, clock.instant())) {
            throw ApiException.notFound("key", id);
        }
        verified.remove(id);
        touched.remove(id);
    }
}
