package dev.backprop.model.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Labelled rows to explain a model on, and how many seeded shuffles of each feature to score. */
@Schema(description = "Send instances with targets, records that include the target column, or a datasetId")
public record ImportanceRequest(
        @Schema(description = "Rows as arrays of feature values, in the model's feature order") List<List<JsonNode>> instances,
        @Schema(description = "One true label or value per instance") List<JsonNode> targets,
        @Schema(description = "Rows as objects keyed by column name, including the target column") List<Map<String, JsonNode>> records,
        @Schema(description = "A stored data set with the model's feature and target columns (others are ignored)") UUID datasetId,
        @Schema(description = "Shuffles of each feature, 1 to 100", defaultValue = "5") Integer repeats,
        @Schema(description = "Seed of the shuffles: the same seed gives the same answer", defaultValue = "0") Long seed) {

    /** scikit-learn's n_repeats. */
    static final int DEFAULT_REPEATS = 5;
}
