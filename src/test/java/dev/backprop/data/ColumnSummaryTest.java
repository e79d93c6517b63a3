package dev.backprop.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The summaries computed alongside other work (the upload's storage) are those computed alone. */
class ColumnSummaryTest {

    private static Table wide() {
        SplittableRandom random = new SplittableRandom(18);
        List<String> names = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        for (int c = 0; c < 300; c++) {
            names.add("x" + c);
            if (c % 3 == 0) {
                long[] values = new long[2_000];
                for (int r = 0; r < values.length; r++) {
                    values[r] = random.nextInt(-5, 5);
                }
                columns.add(new Column.Longs(values, new java.util.BitSet()));
            } else {
                double[] values = new double[2_000];
                for (int r = 0; r < values.length; r++) {
                    values[r] = r % 17 == c % 17 ? Double.NaN : random.nextGaussian() * c;
                }
                columns.add(new Column.Doubles(values));
            }
        }
        return Table.ofColumns(names, columns);
    }

    @Test
    void summariesComputedAlongsideOtherWorkAreThoseComputedAlone() {
        Table table = wide();
        Thread caller = Thread.currentThread();
        AtomicInteger ranOnCaller = new AtomicInteger();
        List<ColumnSummary> alongside = ColumnSummary.of(table, () -> {
            if (Thread.currentThread() == caller) {
                ranOnCaller.incrementAndGet();
            }
        });
        assertThat(ranOnCaller).hasValue(1);
        assertThat(alongside).hasSize(300).doesNotContainNull().isEqualTo(ColumnSummary.of(table));
    }

    @Test
    void aFailureOfTheWorkAlongsideIsThrownAsItIs() {
        IllegalStateException failure = new IllegalStateException("the database refused the columns");
        assertThatThrownBy(() -> ColumnSummary.of(wide(), () -> {
            throw failure;
        })).isSameAs(failure);
    }
}
