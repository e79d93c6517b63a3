package dev.backprop.model.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Labelled rows: instances with targets, records that include the target column, or a stored data set. */
@Schema(description = "Send instances with targets, records that include the target column, or a datasetId")
public record EvaluateRequest(
        @Schema(description = "Rows as arrays of feature values, in the model's feature order") List<List<JsonNode>> instances,
        @Schema(description = "One true label or value per instance") List<JsonNode> targets,
        @Schema(description = "Rows as objects keyed by column name, including the target column") List<Map<String, JsonNode>> records,
        @Schema(description = "A stored data set with the model's feature and target columns (others are ignored)")
        UUID datasetId) {
}
