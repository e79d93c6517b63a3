package dev.backprop.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A seeded generator throws CSV-shaped and random inputs at the reader: every one either reads or
 * fails with a {@link DataException}; no other exception escapes.
 */
class CsvReaderFuzzTest {

    private static final String ALPHABET = "ab,\"\n\r 1.-e9NaInf\u00e9\uFEFF;\t";

    @Test
    void onlyDeclaredExceptionsEscape() {
        SplittableRandom random = new SplittableRandom(20261128);
        int read = 0;
        int rejected = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] input = i % 5 == 0 ? randomBytes(random) : csvLike(random).getBytes(StandardCharsets.UTF_8);
            try {
                Table table = CsvReader.read(new ByteArrayInputStream(input), CsvReaderTest.LIMITS);
                assertThat(table.rows()).allSatisfy(row -> assertThat(row).hasSize(table.columns().size()));
                read++;
            } catch (DataException e) {
                assertThat(e.problems()).isNotEmpty();
                rejected++;
            }
        }
        assertThat(read).isPositive();
        assertThat(rejected).isPositive();
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String csvLike(SplittableRandom random) {
        StringBuilder csv = new StringBuilder();
        int columns = 1 + random.nextInt(4);
        for (int c = 0; c < columns; c++) {
            csv.append(c == 0 ? "" : ",").append("col").append(random.nextInt(3) == 0 ? 0 : c);
        }
        csv.append('\n');
        int rows = random.nextInt(8);
        for (int r = 0; r < rows; r++) {
            int fields = random.nextInt(10) == 0 ? 1 + random.nextInt(5) : columns;
            for (int f = 0; f < fields; f++) {
                if (f > 0) {
                    csv.append(',');
                }
                int length = random.nextInt(8);
                for (int k = 0; k < length; k++) {
                    csv.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
            }
            csv.append(random.nextBoolean() ? "\n" : "\r\n");
        }
        return csv.toString();
    }
}
