package dev.backprop.data;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the histogram adds to a column's summary at upload: the whole summary (statistics and histogram) of one
 * 60,000-row column, T4's size, against the histogram alone. {@code gaussian} bins by Freedman–Diaconis;
 * {@code pixels} (0..255, three quarters zeros, as MNIST's) has an interquartile range of 0 and bins by Sturges.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ColumnSummaryBenchmark {

    private static final int ROWS = 60_000;

    @Param({"gaussian", "pixels"})
    public String column;

    private Table table;
    private double[] values;
    private double min;
    private double max;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        values = new double[ROWS];
        for (int r = 0; r < ROWS; r++) {
            values[r] = column.equals("gaussian") ? random.nextGaussian()
                    : random.nextInt(4) == 0 ? random.nextInt(256) : 0;
        }
        table = Table.ofColumns(List.of("x"), List.of(new Column.Doubles(values)));
        min = java.util.Arrays.stream(values).min().orElseThrow();
        max = java.util.Arrays.stream(values).max().orElseThrow();
    }

    @Benchmark
    public List<ColumnSummary> summary() {
        return ColumnSummary.of(table);
    }

    @Benchmark
    public Histogram histogram() {
        return Histogram.of(values, ROWS, min, max);
    }
}
