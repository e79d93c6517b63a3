package dev.backprop.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.Tolerances;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Bins and counts checked against numpy.histogram (numpy 1.26, the expected arrays in each comment). */
class HistogramTest {

    private static Histogram of(double... values) {
        double min = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).min().orElseThrow();
        double max = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).max().orElseThrow();
        int present = (int) java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).count();
        return Histogram.of(values, present, min, max);
    }

    @Test
    void freedmanDiaconisBinsAsNumpy() {
        // np.histogram(np.arange(1, 11), bins='fd') -> [3, 3, 4], edges [1, 4, 7, 10]
        Histogram h = of(IntStream.rangeClosed(1, 10).asDoubleStream().toArray());
        assertThat(h.rule()).isEqualTo(Histogram.Rule.FREEDMAN_DIACONIS);
        assertThat(h.counts()).containsExactly(3L, 3L, 4L);
        assertThat(h.edges()).containsExactly(1.0, 4.0, 7.0, 10.0);
        // np.histogram([2.5, -1, 0.5, 7, 3, 3, 3.25, -0.75, 4, 1.5, 6.5, 2], bins='fd') -> [3, 2, 4, 1, 2],
        // edges [-1, 0.6, 2.2, 3.8, 5.4, 7]
        Histogram uneven = of(2.5, -1, 0.5, 7, 3, 3, 3.25, -0.75, 4, 1.5, 6.5, 2);
        assertThat(uneven.counts()).containsExactly(3L, 2L, 4L, 1L, 2L);
        double[] expected = {-1, 0.6, 2.2, 3.8, 5.4, 7};
        for (int i = 0; i < expected.length; i++) {
            assertThat(uneven.edges().get(i)).isCloseTo(expected[i], within(Tolerances.EXACT));
        }
    }

    @Test
    void sturgesWhenTheInterquartileRangeIsZeroAndOneBinForOneValue() {
        // np.histogram([5, 5, 5, 5, 5, 9], bins='sturges') -> [5, 0, 0, 1], edges [5, 6, 7, 8, 9]
        Histogram h = of(5, 5, 5, 5, 5, 9);
        assertThat(h.rule()).isEqualTo(Histogram.Rule.STURGES);
        assertThat(h.counts()).containsExactly(5L, 0L, 0L, 1L);
        assertThat(h.edges()).containsExactly(5.0, 6.0, 7.0, 8.0, 9.0);
        Histogram single = of(2, 2, Double.NaN, 2);
        assertThat(single.rule()).isEqualTo(Histogram.Rule.SINGLE_VALUE);
        assertThat(single.counts()).containsExactly(3L);
    }

    @Test
    void anOutlierIsCappedAtFiftyBinsAndMissingCellsAreNotCounted() {
        // numpy's fd rule would give 46,571 bins for 0..99 and 1e6
        double[] values = new double[103];
        for (int i = 0; i < 100; i++) {
            values[i] = i;
        }
        values[100] = 1e6;
        values[101] = Double.NaN;
        values[102] = Double.NaN;
        Histogram h = of(values);
        assertThat(h.counts()).hasSize(Histogram.MAX_BINS);
        assertThat(h.edges()).hasSize(Histogram.MAX_BINS + 1);
        assertThat(h.counts().stream().mapToLong(Long::longValue).sum()).isEqualTo(101);
        assertThat(h.counts().get(0)).isEqualTo(100);
        assertThat(h.counts().get(Histogram.MAX_BINS - 1)).isEqualTo(1);
        assertThat(h.edges().get(Histogram.MAX_BINS)).isEqualTo(1e6);
    }

    @Test
    void aLongColumnEstimatesItsQuartilesFromAStrideAndCountsEveryValue() {
        double[] values = IntStream.range(0, 100_000).asDoubleStream().toArray();
        // a stride of 10: 0, 10, ..., 99,990, whose quartiles are 24,997.5 and 74,992.5 (the full column's IQR is 49,999.5)
        assertThat(Histogram.interquartileRange(values, values.length)).isEqualTo(49_995.0);
        Histogram h = of(values);
        // 99,999 / (2 · 49,995 / 100,000^(1/3)) = 46.4 → 47 bins
        assertThat(h.counts()).hasSize(47);
        assertThat(h.counts().stream().mapToLong(Long::longValue).sum()).isEqualTo(100_000);
        assertThat(List.copyOf(h.edges())).isSorted();
    }

    /** The selection must find the very values a full sort puts at the quartiles' positions, to the bit. */
    @Test
    void quartilesBySelectionAreTheSortedSamplesQuartilesToTheBit() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(16);
        for (int trial = 0; trial < 1_000; trial++) {
            double[] values = new double[1 + random.nextInt(trial < 500 ? 12 : 2_000)];
            for (int i = 0; i < values.length; i++) {
                // few distinct values (runs of equal ones, -0.0 beside 0.0) as in pixel columns, or spread ones
                values[i] = trial % 3 == 0 ? random.nextInt(4) - 1.5 : trial % 3 == 1 ? (random.nextBoolean() ? -0.0 : 0.0)
                        + random.nextInt(3) : random.nextGaussian();
            }
            double[] sorted = values.clone();
            java.util.Arrays.sort(sorted);
            for (double q : new double[]{0.25, 0.75, 0.5, 0, 1}) {
                double position = q * (sorted.length - 1);
                int below = (int) Math.floor(position);
                int above = Math.min(sorted.length - 1, below + 1);
                double expected = sorted[below] + (position - below) * (sorted[above] - sorted[below]);
                assertThat(Double.doubleToRawLongBits(Histogram.quantile(values.clone(), q)))
                        .as("q %s of %s", q, java.util.Arrays.toString(values)).isEqualTo(Double.doubleToRawLongBits(expected));
            }
        }
    }
}
