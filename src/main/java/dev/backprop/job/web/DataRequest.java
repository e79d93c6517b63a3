package dev.backprop.job.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The data to train on: a stored data set or inline named columns with rows, each with a target
 * column; or a features matrix with a targets array (whose columns are then named
 * {@code x0, x1, …} and the target {@code y}).
 */
@Schema(description = "A stored data set (datasetId + targetColumn + featureColumns), inline columns + rows + targetColumn "
        + "(+ featureColumns), or features + targets")
public record DataRequest(
        @Schema(description = "A data set uploaded to /datasets") java.util.UUID datasetId,
        @Schema(description = "Inline CSV text with a header row, read like an uploaded file", example = "x1,x2,y\n0,0,0\n0,1,1\n")
        String csv,
        @Schema(description = "Column names, with rows", example = "[\"x1\", \"x2\", \"y\"]") List<String> columns,
        @Schema(description = "Rows of values, one per column: numbers for features; numbers or strings for the target")
        List<List<JsonNode>> rows,
        @Schema(description = "The column to predict, with columns and rows", example = "y") String targetColumn,
        @Schema(description = "Feature columns in model input order; default: every column but the target")
        List<String> featureColumns,
        @Schema(description = "Feature rows, instead of columns and rows") List<List<JsonNode>> features,
        @Schema(description = "One target per feature row: numbers or strings") List<JsonNode> targets) {
}
