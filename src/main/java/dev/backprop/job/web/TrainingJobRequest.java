package dev.backprop.job.web;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code POST /jobs}: a training job. Absent settings take the defaults that {@code ?dryRun=true}
 * shows.
 */
@Schema(description = "A training job, or a search over training jobs: the data, the task, the network and the training "
        + "settings (and, for a search, the parameter space). Absent settings take defaults; POST with ?dryRun=true to see them all.")
public record TrainingJobRequest(
        @Schema(description = "Job type: bayesian_search proposes each trial from the scores so far (a Tree-structured Parzen "
                + "Estimator), over the same space as random_search; auto chooses the space and the strategy itself from the "
                + "data and search.maxRuntimeSeconds, its whole budget (refit included)", allowableValues = {"training",
                "grid_search", "random_search", "bayesian_search", "auto"}, defaultValue = "training")
        @Pattern(regexp = "training|grid_search|random_search|bayesian_search|auto",
                message = "must be training, grid_search, random_search, bayesian_search or auto") String type,
        @Schema(description = "An optional label of the job, and the name of the model it trains: GET /models?name= finds "
                + "its models, GET /models/by-name/{name} the newest", example = "xor") @Size(max = 200) String name,
        @Schema(description = "classification or regression; when absent, inferred from the loss, the output activation or "
                + "the target (strings, booleans or at most 10 distinct integers: classification)",
                allowableValues = {"classification", "regression"}) String task,
        @Schema(description = "The data to train on", requiredMode = Schema.RequiredMode.REQUIRED)
        @NotNull @Valid DataRequest data,
        @Valid NetworkRequest network,
        @Valid TrainingRequest training,
        @Schema(description = "The search, for grid_search and random_search") @Valid SearchRequest search,
        @ArraySchema(arraySchema = @Schema(description = "Labels of the trained model: GET /models?tag= finds it"),
                schema = @Schema(example = "baseline"))
        @Size(max = 20) List<@NotBlank @Size(max = 100) String> tags) {
}
