package dev.backprop.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.data.Table;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The tables kept for the next job: the same instance back, within the byte budget, least recently used out first. */
class RecentTablesTest {

    private static Table numbers(int rows) {
        List<List<Object>> cells = java.util.stream.IntStream.range(0, rows).mapToObj(i -> List.<Object>of((double) i, (long) i))
                .toList();
        return new Table(List.of("x", "y"), cells);
    }

    @Test
    void aKeptTableComesBackAsItWasUntilItIsRemovedOrPushedOut() {
        Table first = numbers(100);   // 1,600 bytes
        Table second = numbers(100);
        Table third = numbers(100);
        assertThat(RecentTables.bytesOf(first)).isEqualTo(1_600);
        RecentTables recent = new RecentTables(3_200);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        recent.put(a, first);
        recent.put(b, second);
        assertThat(recent.get(a)).containsSame(first);  // a is now the most recently used
        recent.put(c, third);
        assertThat(recent.get(b)).isEmpty();
        assertThat(recent.get(a)).containsSame(first);
        assertThat(recent.get(c)).containsSame(third);
        recent.remove(a);
        assertThat(recent.get(a)).isEmpty();
        recent.put(a, numbers(1_000));  // over the budget on its own: not kept
        assertThat(recent.get(a)).isEmpty();
        assertThat(recent.get(c)).containsSame(third);
    }
}
