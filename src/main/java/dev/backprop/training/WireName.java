package dev.backprop.training;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An option of a request whose name on the wire is its constant's name in lower case
 * ({@code REDUCE_ON_PLATEAU} is {@code reduce_on_plateau}): JSON writes and reads that name, so a stored
 * spec keeps the shape it had when options were strings, and a typo in code is a compile error.
 */
public interface WireName {

    /** The constant's name (every enum has it). */
    String name();

    /** The name in requests and stored documents. */
    @JsonValue
    default String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} named {@code name} on the wire, if any. */
    static <E extends Enum<E> & WireName> Optional<E> find(Class<E> type, String name) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.wireName().equals(name)).findFirst();
    }

    /**
     * The constant of {@code type} named {@code name} on the wire.
     *
     * @throws IllegalArgumentException "must be a, b or c, was 'name'"
     */
    static <E extends Enum<E> & WireName> E parse(Class<E> type, String name) {
        return find(type, name).orElseThrow(() -> new IllegalArgumentException(
                "must be " + alternatives(type, " or ") + ", was '" + name + "'"));
    }

    /**
     * The constant of {@code type} named {@code name} on the wire.
     *
     * @throws IllegalArgumentException "unknown {@code what} 'name'; expected one of a, b, c"
     */
    static <E extends Enum<E> & WireName> E parseOrUnknown(Class<E> type, String name, String what) {
        return find(type, name).orElseThrow(() -> new IllegalArgumentException(
                "unknown " + what + " '" + name + "'; expected one of " + alternatives(type, ", ")));
    }

    /** The wire names of {@code type}: {@code "a, b or c"} with {@code last} = {@code " or "}. */
    static <E extends Enum<E> & WireName> String alternatives(Class<E> type, String last) {
        String[] names = Arrays.stream(type.getEnumConstants()).map(WireName::wireName).toArray(String[]::new);
        return names.length == 1 ? names[0]
                : Arrays.stream(names, 0, names.length - 1).collect(Collectors.joining(", ")) + last + names[names.length - 1];
    }
}
