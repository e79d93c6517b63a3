package dev.backprop.data;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** The field separators a CSV file may use; the reader sniffs one unless the upload names it. */
public enum Delimiter {
    COMMA(','), SEMICOLON(';'), TAB('\t'), PIPE('|');

    private final char character;

    Delimiter(char character) {
        this.character = character;
    }

    public char character() {
        return character;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A delimiter by its wire name or by the character itself ({@code ,} {@code ;} {@code |}, a tab).
     *
     * @throws IllegalArgumentException naming the known delimiters
     */
    public static Delimiter named(String name) {
        for (Delimiter delimiter : values()) {
            if (delimiter.wireName().equalsIgnoreCase(name) || name.equals(String.valueOf(delimiter.character))) {
                return delimiter;
            }
        }
        throw new IllegalArgumentException("unknown delimiter '" + name + "'; expected one of "
                + Arrays.stream(values()).map(Delimiter::wireName).toList());
    }
}
