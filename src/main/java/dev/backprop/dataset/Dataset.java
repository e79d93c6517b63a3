package dev.backprop.dataset;

import dev.backprop.data.ColumnSummary;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A stored data set's description: its inferred schema and statistics.
 *
 * @param columns one summary per column, in file order
 */
public record Dataset(UUID id, String name, Instant createdAt, int rows, List<ColumnSummary> columns) {
}
