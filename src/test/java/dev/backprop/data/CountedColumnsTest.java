package dev.backprop.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The memory budget of the columns of a counted read: past it the file goes to the chunked read. */
class CountedColumnsTest {

    @Test
    void doublesOverTheBudgetAreRefusedBeforeTheyAreMade() {
        assertThatThrownBy(() -> new CountedColumns(1_000, new boolean[3], 3 * 1_000 * 8 - 1))
                .isInstanceOf(CountedColumns.Miscounted.class);
    }

    @Test
    void aColumnsIntegersAreMadeOnlyWhileTheyFitInTheBudget() {
        // 2 columns × 100 rows of doubles (1,600 bytes), room for one column's longs (800 bytes) but not two
        CountedColumns columns = new CountedColumns(100, new boolean[2], 1_600 + 800 + 799);
        long[] first = columns.integers(0);
        assertThat(first).hasSize(100);
        assertThat(columns.integers(0)).isSameAs(first);  // asked again, the same array and no more of the budget
        assertThatThrownBy(() -> columns.integers(1)).isInstanceOf(CountedColumns.Miscounted.class);
    }

    @Test
    void aForcedNumericColumnHoldsNoIntegers() {
        CountedColumns columns = new CountedColumns(100, new boolean[] {true}, 800);
        assertThat(columns.integers(0)).isNull();
    }
}
