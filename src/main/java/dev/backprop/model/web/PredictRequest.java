package dev.backprop.model.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Rows to predict: arrays in the model's feature order, or records keyed by column name (the documented shape; {@link PredictBody} reads it). */
@Schema(description = "Send exactly one of instances and records")
public record PredictRequest(
        @Schema(description = "Rows as arrays of feature values, in the model's feature order", example = "[[0, 1], [1, 1]]")
        List<List<Object>> instances,
        @Schema(description = "Rows as objects keyed by column name, in any order") List<Map<String, JsonNode>> records) {
}
