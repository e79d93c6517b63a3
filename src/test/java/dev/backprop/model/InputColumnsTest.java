package dev.backprop.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.data.Column;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Rows written cell by cell come out as columns: numbers as numbers, everything else as it was, missing where unwritten. */
class InputColumnsTest {

    @Test
    void recordsKeepEveryCellAcrossGrowthAndColumnsSeenLate() {
        InputColumns rows = InputColumns.records();
        for (int r = 0; r < 5; r++) {  // past the first capacities (1, 2, 4)
            rows.startRow();
            rows.number(rows.column("x"), r + 0.5);
            if (r == 3) {
                rows.other(rows.column("colour"), "red");
                rows.missing(rows.column("gap"));
            }
        }
        assertThat(rows.names()).containsExactly("x", "colour", "gap");
        assertThat(rows.column(0, false)).isEqualTo(new Column.Doubles(new double[]{0.5, 1.5, 2.5, 3.5, 4.5}));
        assertThat(IntStream.range(0, 5).mapToObj(r -> rows.column(1, true).cell(r)).toList())
                .containsExactly(null, null, null, "red", null);
        assertThat(IntStream.range(0, 5).mapToObj(r -> rows.isPresent(2, r)).toList())
                .containsExactly(false, false, false, true, false);
        assertThat(rows.column(rows.indexOf("absent"), false).isMissing(4)).isTrue();
    }

    @Test
    void integersStayIntegersForCategoriesAndExactBeyondTwoToTheFiftyThird() {
        InputColumns rows = InputColumns.instances();
        rows.startRow();
        rows.integer(rows.column(0), 7);
        rows.integer(rows.column(1), Long.MAX_VALUE);
        rows.endRow(2);
        rows.startRow();
        rows.number(rows.column(0), 7.0);
        rows.endRow(1);
        assertThat(rows.column(0, true).cell(0)).isEqualTo(7L);
        assertThat(rows.column(0, true).cell(1)).isEqualTo(7.0);
        assertThat(rows.column(0, false)).isEqualTo(new Column.Doubles(new double[]{7, 7}));
        assertThat(rows.column(1, false).cell(0)).isEqualTo(Long.MAX_VALUE);
        assertThat(rows.rowLength(1)).isEqualTo(1);
        assertThat(rows.column(1, false).isMissing(1)).isTrue();
    }
}
