package dev.backprop.model.web;

import dev.backprop.model.MetricsReport;
import dev.backprop.model.ModelInput;
import dev.backprop.model.ModelService;
import dev.backprop.platform.web.JsonCells;
import dev.backprop.platform.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Trained models: list, inspect, delete, predict, evaluate. */
@RestController
@RequestMapping(path = "/models", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Models", description = "Trained models: predictions and evaluation")
@ApiResponse(responseCode = "404", description = "No such model", content = @Content(
        mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
class ModelController {

    private final ModelService models;

    ModelController(ModelService models) {
        this.models = models;
    }

    @GetMapping
    @Operation(summary = "List trained models, newest first")
    PageResponse<ModelResponse> list(@RequestParam(defaultValue = "0") @Min(0) int page,
                                     @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return new PageResponse<>(models.list(page, size).stream().map(ModelResponse::of).toList(), page, size, models.count());
    }

    @GetMapping("/{id}")
    @Operation(summary = "A model's input schema, architecture, preprocessing, classes, metrics and provenance",
            description = "The provenance records how the model was made and outlives its job: the training request with "
                    + "every default filled in, the seed, the data set and row counts, the job type and the Backprop version.")
    ModelResponse get(@PathVariable UUID id) {
        return ModelResponse.of(models.summary(id));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a model")
    void delete(@PathVariable UUID id) {
        models.delete(id);
    }

    @PostMapping(path = "/{id}/predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Predict: rows in, labels with class probabilities (or values) out",
            description = "Send {\"instances\": [[...], ...]} in the model's feature order, or {\"records\": [{\"column\": value}]}.")
    @ApiResponse(responseCode = "400", description = "A row is invalid; the problem names it", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    PredictResponse predict(@PathVariable UUID id, @RequestBody PredictRequest request) {
        JsonCells.Errors errors = JsonCells.errors();
        ModelInput input = new ModelInput(
                request.instances() == null ? null : JsonCells.checkedRows(request.instances(), "instances", errors),
                request.records() == null ? null : JsonCells.records(request.records(), "records", errors), null);
        errors.throwIfAny();
        return PredictResponse.of(id, models.predict(id, input));
    }

    @PostMapping(path = "/{id}/predict", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Operation(summary = "Predict from binary rows: little-endian float32 values in, the same answer out",
            description = "The body is rows × features little-endian IEEE-754 float32 values (numpy: "
                    + "X.astype('<f4').tobytes()), row after row, each row in the model's feature order, NaN for a "
                    + "missing value. For many rows at once: no decimal numbers to parse. Models with a categorical "
                    + "feature need the JSON body.")
    @ApiResponse(responseCode = "400", description = "The body's length is not whole rows, a value is infinite or missing "
            + "without imputation, or the model has a categorical feature", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    PredictResponse predictFloat32(@PathVariable UUID id,
                                   @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                                           mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                                           schema = @Schema(type = "string", format = "binary"))) @RequestBody byte[] body) {
        return PredictResponse.of(id, models.predictFloat32(id, body));
    }

    @PostMapping(path = "/{id}/evaluate", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Evaluate: labelled rows in, the full metric set out")
    @ApiResponse(responseCode = "400", description = "A row or target is invalid; the problem names it", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    MetricsReport evaluate(@PathVariable UUID id, @RequestBody EvaluateRequest request) {
        JsonCells.Errors errors = JsonCells.errors();
        ModelInput input = new ModelInput(
                request.instances() == null ? null : JsonCells.rows(request.instances(), "instances", errors),
                request.records() == null ? null : JsonCells.records(request.records(), "records", errors),
                request.targets() == null ? null : JsonCells.values(request.targets(), "targets", errors));
        errors.throwIfAny();
        return models.evaluate(id, input);
    }
}
