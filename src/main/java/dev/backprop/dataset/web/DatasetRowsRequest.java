package dev.backprop.dataset.web;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** A data set sent as JSON rows instead of CSV. */
@Schema(description = "A data set as JSON: column names and rows of values (numbers, strings, booleans or null)")
public record DatasetRowsRequest(@Size(max = 200) String name, @NotNull List<String> columns, @NotNull List<List<JsonNode>> rows) {
}
