package dev.backprop.dataset.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backprop.data.ColumnSummary;
import dev.backprop.dataset.Dataset;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A data set: its inferred schema with statistics per column and, when read alone, its first rows.
 *
 * @param preview the first rows, on {@code GET /datasets/{id}}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetResponse(UUID id, String name, Instant createdAt, int rows, List<ColumnSummary> columns,
                              List<List<Object>> preview) {

    static DatasetResponse of(Dataset dataset, List<List<Object>> preview) {
        return new DatasetResponse(dataset.id(), dataset.name(), dataset.createdAt(), dataset.rows(), dataset.columns(), preview);
    }
}
