package dev.backprop.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.training.EpochRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A trial's stored history: seven little-endian doubles per epoch, the same bytes as when histories were first stored. */
class TrialHistoryEncodingTest {

    private static final List<EpochRecord> HISTORY = List.of(new EpochRecord(1, 0.5, null, 0.75, null, 0.1, 12),
            new EpochRecord(2, 0.25, 0.3, 1.0, 0.95, 0.05, 30));

    /** Encoded before the history codec moved to platform.PackedArrays. */
    private static final String STORED = "AAAAAAAA8D8AAAAAAADgPwAAAAAAAPh/AAAAAAAA6D8AAAAAAAD4f5qZmZmZmbk/AAAAAAAAKEAAAAAAAAAAQAAAAAAAANA/"
            + "MzMzMzMz0z8AAAAAAADwP2ZmZmZmZu4/mpmZmZmZqT8AAAAAAAA+QA==";

    @Test
    void aHistoryIsStoredAsItAlwaysWasAndReadsBack() {
        assertThat(TrialRepository.encodeHistory(HISTORY)).isEqualTo(STORED);
        assertThat(TrialRepository.decodeHistory(STORED)).isEqualTo(HISTORY);
    }

    @Test
    void anEmptyHistoryAndNoHistoryStayApart() {
        assertThat(TrialRepository.decodeHistory(TrialRepository.encodeHistory(List.of()))).isEmpty();
        assertThat(TrialRepository.decodeHistory(null)).isNull();
    }
}
