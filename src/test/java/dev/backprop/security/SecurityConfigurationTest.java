package dev.backprop.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The firewall's header rules, checked by a loop, pass and fail exactly the strings Spring Security's own patterns do. */
class SecurityConfigurationTest {

    /** StrictHttpFirewall's patterns for header names and for header values (Spring Security 7). */
    private static final Pattern NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyCharacterIsJudgedAsTheFirewallsPatternsJudgeIt() {
        for (int c = 0; c <= Character.MAX_CODE_POINT; c += c < 0x3_0000 ? 1 : 97) {
            String text = "a" + new String(Character.toChars(c)) + "b";
            assertThat(SecurityConfiguration.printable(text, false)).as("U+%04X", c).isEqualTo(NAMES.matcher(text).matches());
            assertThat(SecurityConfiguration.printable(text, true)).as("U+%04X", c).isEqualTo(VALUES.matcher(text).matches());
        }
    }

    @Test
    void mixedStringsAndLoneSurrogatesAreJudgedAlike() {
        SplittableRandom random = new SplittableRandom(7);
        char[] pool = {'a', 'Z', '0', ' ', '\t', '\n', '\u0000', '\u007f', '\u0085', '\u00e9', '\u0378', '\ud83d', '\ude00',
                '\uffff', '\u200b', ';', '='};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(6); n > 0; n--) {
                text.append(pool[random.nextInt(pool.length)]);
            }
            String s = text.toString();
            assertThat(SecurityConfiguration.printable(s, false)).as(s).isEqualTo(NAMES.matcher(s).matches());
            assertThat(SecurityConfiguration.printable(s, true)).as(s).isEqualTo(VALUES.matcher(s).matches());
        }
    }
}
