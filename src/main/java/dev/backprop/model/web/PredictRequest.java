package dev.backprop.model.web;

import dev.backprop.platform.web.CellRowsDeserializer;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.annotation.JsonDeserialize;

/** Rows to predict: arrays in the model's feature order, or records keyed by column name. */
@Schema(description = "Send exactly one of instances and records")
public record PredictRequest(
        @Schema(description = "Rows as arrays of feature values, in the model's feature order", example = "[[0, 1], [1, 1]]")
        @JsonDeserialize(using = CellRowsDeserializer.class) List<List<Object>> instances,
        @Schema(description = "Rows as objects keyed by column name, in any order") List<Map<String, JsonNode>> records) {
}
