package dev.backprop.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/** What a key may do. Each role includes the ones after it. */
public enum Role {
    /** Manages tenants and keys, reads metrics and health details; works on the default tenant's objects. */
    ADMIN("admin", List.of("ROLE_ADMIN", "ROLE_MEMBER", "ROLE_PREDICT")),
    /** Trains, predicts and deletes within its tenant. */
    MEMBER("member", List.of("ROLE_MEMBER", "ROLE_PREDICT")),
    /** Reads its tenant's models and calls them: serving. */
    PREDICT_ONLY("predict-only", List.of("ROLE_PREDICT"));

    private final String wireName;
    private final List<String> authorities;

    Role(String wireName, List<String> authorities) {
        this.wireName = wireName;
        this.authorities = authorities;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The Spring Security authorities of the role, its lesser roles included. */
    public List<String> authorities() {
        return authorities;
    }

    /** The role of a wire name; null when there is none. */
    @JsonCreator
    public static Role ofWireName(String name) {
        for (Role role : values()) {
            if (role.wireName.equals(name)) {
                return role;
            }
        }
        return null;
    }
}
