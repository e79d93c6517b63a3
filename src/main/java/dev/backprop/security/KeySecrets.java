package dev.backprop.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API keys as text: {@code bpk_<id>.<secret>}, a public 64-bit id (to find the key's row without a scan)
 * and a 256-bit secret from {@link SecureRandom}. Only the SHA-256 of the whole key is stored: a key is
 * random, not a password, so a slow hash would add nothing but latency; and a stolen table yields no key.
 */
final class KeySecrets {

    static final String PREFIX = "bpk_";
    private static final int ID_BYTES = 8;
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeySecrets() {
    }

    /** A new key's public id and its full text (to be shown once). */
    record NewKey(String id, String text) {
    }

    static NewKey generate() {
        byte[] id = new byte[ID_BYTES];
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        String hexId = HexFormat.of().formatHex(id);
        return new NewKey(hexId, PREFIX + hexId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The public id of a key in this format; null for any other text. */
    static String idOf(String key) {
        int dot = key.indexOf('.');
        if (!key.startsWith(PREFIX) || dot != PREFIX.length() + 2 * ID_BYTES) {
            return null;
        }
        String id = key.substring(PREFIX.length(), dot);
        return id.chars().allMatch(c -> Character.digit(c, 16) >= 0) ? id : null;
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String hashHex(String key) {
        return HexFormat.of().formatHex(hash(key));
    }

    /**
     * Whether a presented key has the stored hash. {@link MessageDigest#isEqual} compares in time that
     * does not depend on where the first difference is, so response times leak nothing about the hash.
     */
    static boolean matches(String presented, byte[] storedHash) {
        return MessageDigest.isEqual(hash(presented), storedHash);
    }
}
