package dev.backprop.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling: the tenant every object it makes belongs to and every query it makes is filtered by,
 * the key's name for the audit, and its role.
 *
 * @param tenant  the tenant's id
 * @param keyName the key's name; {@code local} without a key
 * @param role    what the key may do
 * @param keyId   the key's public id, for rate limits; null without a key
 */
public record Caller(String tenant, String keyName, Role role, String keyId) {

    /** The tenant of everything made without keys, and of the admin key's own objects. */
    public static final String DEFAULT_TENANT = "default";

    /**
     * The caller without a key: the default tenant. Also the caller of code that runs outside a request
     * (the job runner, tests of a service), which therefore sees the default tenant's objects only.
     */
    public static final Caller LOCAL = new Caller(DEFAULT_TENANT, "local", Role.ADMIN, null);

    /** The caller of the current request. */
    public static Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Caller caller ? caller : LOCAL;
    }

    /**
     * {@code work} as it would run for the current caller, wherever it runs: the caller is taken now and set
     * around the call (event streams read their history on a dispatcher thread).
     */
    public static <T> java.util.function.Supplier<T> carrying(java.util.function.Supplier<T> work) {
        java.util.function.LongFunction<T> carried = carrying(ignored -> work.get());
        return () -> carried.apply(0);
    }

    /** {@link #carrying(java.util.function.Supplier)} for work that takes an argument. */
    public static <T> java.util.function.LongFunction<T> carrying(java.util.function.LongFunction<T> work) {
        org.springframework.security.core.context.SecurityContext context = SecurityContextHolder.getContext();
        return argument -> {
            org.springframework.security.core.context.SecurityContext previous = SecurityContextHolder.getContext();
            SecurityContextHolder.setContext(context);
            try {
                return work.apply(argument);
            } finally {
                SecurityContextHolder.setContext(previous);
            }
        };
    }

    /** How the audit names the caller. */
    public String describe() {
        return "key '" + keyName + "' of tenant '" + tenant + "'";
    }
}
