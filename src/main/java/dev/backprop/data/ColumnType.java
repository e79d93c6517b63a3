package dev.backprop.data;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * A column's type chosen by the uploader instead of inferred: {@code numeric} reads every cell that is not
 * a finite number as missing (and says how many), {@code categorical} keeps the text of every cell
 * ({@code 007} stays {@code 007}).
 */
public enum ColumnType {
    NUMERIC, CATEGORICAL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the known types */
    public static ColumnType named(String name) {
        for (ColumnType type : values()) {
            if (type.wireName().equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown column type '" + name + "'; expected one of "
                + Arrays.stream(values()).map(ColumnType::wireName).toList());
    }
}
