package dev.backprop.model.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@link LeanPredictFilter#readBody}: what {@code readAllBytes} returns, whatever the declared length says. */
class LeanPredictBodyReadTest {

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    @Test
    void aBodyOfItsDeclaredLengthIsReadWhole() throws IOException {
        byte[] body = bytes(100_000);
        assertThat(LeanPredictFilter.readBody(new ByteArrayInputStream(body), body.length)).isEqualTo(body);
    }

    @Test
    void aStreamEndingBeforeTheDeclaredLengthGivesWhatItHad() throws IOException {
        byte[] body = bytes(1_000);
        assertThat(LeanPredictFilter.readBody(new ByteArrayInputStream(body), 5_000)).isEqualTo(body);
    }

    @Test
    void aStreamLongerThanDeclaredGivesAllOfIt() throws IOException {
        byte[] body = bytes(20_000);
        assertThat(LeanPredictFilter.readBody(new ByteArrayInputStream(body), 300)).isEqualTo(body);
    }

    @Test
    void anUndeclaredLengthIsReadToTheEnd() throws IOException {
        byte[] body = bytes(70_000);
        assertThat(LeanPredictFilter.readBody(new ByteArrayInputStream(body), -1)).isEqualTo(body);
        assertThat(LeanPredictFilter.readBody(new ByteArrayInputStream(new byte[0]), 0)).isEmpty();
    }
}
