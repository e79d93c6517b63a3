package dev.backprop.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.data.CsvReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file read in segments while its body arrives is the file read once it has arrived; a body that fails fails its readers. */
class ArrivingFileTest {

    private static final CsvReader.Limits LIMITS = new CsvReader.Limits(100_000, 50, 100_000);

    private static byte[] csv(int rows) {
        StringBuilder csv = new StringBuilder("a,b,c\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(rows);
        for (int r = 0; r < rows; r++) {
            csv.append(random.nextInt(100)).append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.4f", random.nextDouble())).append(',')
                    .append(random.nextInt(9) == 0 ? "" : String.valueOf(random.nextGaussian())).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A body handing out a few hundred bytes a read, as a socket does, and failing after {@code failAt} bytes. */
    private static InputStream trickle(byte[] bytes, int failAt) {
        return new InputStream() {
            private int position;

            @Override
            public int read(byte[] into, int from, int length) throws IOException {
                if (position >= failAt) {
                    throw new IOException("client gone");
                }
                if (position == bytes.length) {
                    return -1;
                }
                int count = Math.min(Math.min(length, 317), Math.min(bytes.length, failAt) - position);
                System.arraycopy(bytes, position, into, from, count);
                position += count;
                return count;
            }

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void segmentsReadWhileTheBodyArrivesAreTheCompleteFilesRows(@TempDir Path folder) throws Exception {
        byte[] body = csv(20_000);
        CsvReader.Result complete = CsvReader.read(() -> new ByteArrayInputStream(body), LIMITS, CsvReader.Options.DEFAULT, 1);
        for (int segments = 2; segments <= 4; segments++) {
            ArrivingFile arriving = new ArrivingFile(Files.createTempFile(folder, "upload", ".csv"), body.length);
            int count = segments;
            CompletableFuture<CsvReader.Result> early = CompletableFuture.supplyAsync(
                    () -> CsvReader.read(arriving, LIMITS, CsvReader.Options.DEFAULT, count));

            assertThat(arriving.copyFrom(trickle(body, Integer.MAX_VALUE))).isEqualTo(body.length);
            CsvReader.Result read = early.get(60, TimeUnit.SECONDS);

            assertThat(read.table()).as("%d segments", segments).isEqualTo(complete.table());
            assertThat(read.table().rowCount()).isEqualTo(20_000);
        }
    }

    @Test
    void aBodyThatFailsHalfwayFailsTheCopyAndEveryReaderWithoutAHang(@TempDir Path folder) throws Exception {
        byte[] body = csv(20_000);
        ArrivingFile arriving = new ArrivingFile(Files.createTempFile(folder, "upload", ".csv"), body.length);
        CompletableFuture<CsvReader.Result> early = CompletableFuture.supplyAsync(
                () -> CsvReader.read(arriving, LIMITS, CsvReader.Options.DEFAULT, 3));

        assertThatThrownBy(() -> arriving.copyFrom(trickle(body, body.length / 2))).hasMessage("client gone");
        // the segments fail, and so does the one pass the reader falls back to: not a table of the rows that arrived
        assertThatThrownBy(() -> early.get(60, TimeUnit.SECONDS)).hasRootCauseMessage("client gone");
    }

    @Test
    void aBodyShorterThanAnnouncedIsAFailureToo(@TempDir Path folder) throws Exception {
        byte[] body = csv(1_000);
        ArrivingFile arriving = new ArrivingFile(Files.createTempFile(folder, "upload", ".csv"), body.length + 10);
        CompletableFuture<CsvReader.Result> early = CompletableFuture.supplyAsync(
                () -> CsvReader.read(arriving, LIMITS, CsvReader.Options.DEFAULT, 2));

        String shortBody = "the body held " + body.length + " bytes, not the " + (body.length + 10) + " announced";
        assertThatThrownBy(() -> arriving.copyFrom(trickle(body, Integer.MAX_VALUE))).hasMessage(shortBody);
        assertThatThrownBy(() -> early.get(60, TimeUnit.SECONDS)).hasRootCauseMessage(shortBody);
    }
}
