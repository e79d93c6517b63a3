package dev.backprop.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Columns' means computed together are the very doubles {@code Arrays.stream(values).average()} gives, one by one. */
class CompensatedMeansTest {

    private static double streamMean(double[] values) {
        return values == null ? 0 : Arrays.stream(values).average().orElse(0);
    }

    @Test
    void everyMeanIsTheStreamsToTheLastBitWhateverTheLengthsAndMagnitudes() {
        SplittableRandom random = new SplittableRandom(784);
        for (int trial = 0; trial < 3_000; trial++) {
            double[][] columns = new double[random.nextInt(1, 11)][];
            for (int c = 0; c < columns.length; c++) {
                if (random.nextInt(20) == 0) {
                    continue;  // null: a column of cells, which has no mean here
                }
                double[] values = new double[random.nextInt(random.nextInt(8) == 0 ? 3 : 300)];
                double magnitude = Math.pow(10, random.nextInt(-8, 16));
                for (int i = 0; i < values.length; i++) {
                    // large values of both signs with small ones between them: the compensation matters
                    values[i] = random.nextInt(4) == 0 ? Math.rint(random.nextGaussian() * 10_000) / 10_000
                            : random.nextGaussian() * magnitude;
                }
                columns[c] = values;
            }
            double[] means = CompensatedMeans.of(columns);
            for (int c = 0; c < columns.length; c++) {
                assertThat(Double.doubleToRawLongBits(means[c])).as("trial %d column %d", trial, c)
                        .isEqualTo(Double.doubleToRawLongBits(streamMean(columns[c])));
            }
        }
    }

    @Test
    void meansReadFromTheColumnsOverRowsInAnyOrderAreThoseOfTheirPresentValuesGathered() {
        SplittableRandom random = new SplittableRandom(785);
        for (int trial = 0; trial < 1_000; trial++) {
            int rows = random.nextInt(1, 400);
            Column[] columns = new Column[random.nextInt(1, 6)];
            for (int c = 0; c < columns.length; c++) {
                int kind = random.nextInt(8);
                double magnitude = Math.pow(10, random.nextInt(-8, 16));
                if (kind == 0) {
                    continue;  // null: a column of cells
                } else if (kind == 1) {
                    long[] values = new long[rows];
                    java.util.BitSet missing = new java.util.BitSet(rows);
                    for (int r = 0; r < rows; r++) {
                        values[r] = random.nextLong(-1L << 53, 1L << 53);
                        if (random.nextInt(10) == 0) {
                            missing.set(r);
                            values[r] = 0;
                        }
                    }
                    columns[c] = new Column.Longs(values, missing);
                } else {
                    double[] values = new double[rows];
                    for (int r = 0; r < rows; r++) {
                        values[r] = random.nextInt(12) == 0 ? Double.NaN : random.nextGaussian() * magnitude;
                    }
                    columns[c] = new Column.Doubles(values);
                }
            }
            int[] order = random.ints(random.nextInt(rows + 1), 0, rows).toArray();  // any rows, repeats allowed
            int[] present = new int[columns.length];
            double[] means = CompensatedMeans.ofRows(columns, order, present);
            for (int c = 0; c < columns.length; c++) {
                Column column = columns[c];
                double[] gathered = column == null ? new double[0] : Arrays.stream(order).filter(r -> !column.isMissing(r))
                        .mapToDouble(r -> ((Number) column.cell(r)).doubleValue()).toArray();
                assertThat(present[c]).as("trial %d column %d", trial, c).isEqualTo(gathered.length);
                assertThat(Double.doubleToRawLongBits(means[c])).as("trial %d column %d", trial, c)
                        .isEqualTo(Double.doubleToRawLongBits(streamMean(gathered)));
            }
        }
    }

    @Test
    void infinitiesAndOverflowEndAsTheStreamsDo() {
        double[][] columns = {{Double.MAX_VALUE, Double.MAX_VALUE}, {1, Double.POSITIVE_INFINITY}, {Double.NEGATIVE_INFINITY, -1},
                {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}, {-Double.MAX_VALUE, -Double.MAX_VALUE, 3}};
        double[] means = CompensatedMeans.of(columns);
        for (int c = 0; c < columns.length; c++) {
            assertThat(Double.doubleToRawLongBits(means[c])).as("column %d", c)
                    .isEqualTo(Double.doubleToRawLongBits(streamMean(columns[c])));
        }
    }
}
