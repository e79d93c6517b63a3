package dev.backprop.dataset.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * An upload large enough to be read in segments while its body arrives (over 16 MB, with its Content-Length) over real
 * HTTP: every row counted once, and a text cell in its last row still reads the file in one pass with its flag.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "backprop.limits.max-request-bytes=40000000")
class LargeUploadEndToEndTest extends HttpEndToEndTest {

    private static final int ROWS = 190_000;
    private static final int COLUMNS = 14;

    /** ROWS rows of COLUMNS four-digit decimals, every 7th cell of column 0 empty; the last cell of column 1 {@code last}. */
    private static byte[] csv(String last, double[] sums) {
        StringBuilder csv = new StringBuilder(ROWS * COLUMNS * 7 + 100);
        for (int c = 0; c < COLUMNS; c++) {
            csv.append(c == 0 ? "" : ",").append("x").append(c);
        }
        csv.append('\n');
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLUMNS; c++) {
                int value = (r * 31 + c * 7_919) % 10_000;
                if (c > 0) {
                    csv.append(',');
                }
                if (c == 0 && r % 7 == 0) {
                    continue;
                }
                if (c == 1 && r == ROWS - 1) {
                    csv.append(last);
                    continue;
                }
                csv.append("0.").append(String.format(java.util.Locale.ROOT, "%04d", value));
                sums[c] += value;
            }
            csv.append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aLargeFileReadAsItArrivesCountsEveryRowOnce() {
        double[] sums = new double[COLUMNS];
        byte[] body = csv("0.5000", sums);
        assertThat(body.length).isGreaterThan(2 * 8 << 20);

        Http.Response uploaded = http.post("/datasets?name=large", "text/csv", body);

        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        JsonNode columns = uploaded.json().get("columns");
        assertThat(uploaded.json().get("rows").asInt()).isEqualTo(ROWS);
        assertThat(columns).hasSize(COLUMNS);
        assertThat(columns.get(0).get("missing").asInt()).isEqualTo((ROWS + 6) / 7);
        for (int c = 2; c < COLUMNS; c++) {
            assertThat(columns.get(c).get("missing").asInt()).isZero();
            assertThat(columns.get(c).get("mean").asDouble()).as("column %d", c).isCloseTo(sums[c] / 10_000 / ROWS,
                    org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void aTextCellInTheLastRowStillReadsTheWholeFileWithItsFlag() {
        byte[] body = csv("n/a", new double[COLUMNS]);

        Http.Response uploaded = http.post("/datasets?name=flagged", "text/csv", body);

        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        assertThat(uploaded.json().get("rows").asInt()).isEqualTo(ROWS);
        JsonNode flagged = uploaded.json().get("columns").get(1);
        assertThat(flagged.get("nonNumeric").toString()).as(flagged.toString()).contains("n/a").contains(String.valueOf(ROWS));
    }
}
