package dev.backprop.model.web;

import dev.backprop.platform.web.ProblemResponse;
import dev.backprop.model.ModelDocument;
import dev.backprop.model.ModelFilter;
import dev.backprop.model.ModelService;
import dev.backprop.platform.ApiException;
import dev.backprop.platform.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Trained models: list, inspect, find by name, delete, download, upload and export to ONNX. */
@RestController
@RequestMapping(path = "/models", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Models", description = "Trained models: predictions and evaluation")
@ApiResponse(responseCode = "404", description = "No such model", content = @Content(
        mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
class ModelController {

    /** The exported graph's inputs and outputs, for the OpenAPI description. */
    private static final String ONNX_GRAPH = "ONNX opset 17 (with ai.onnx.ml 3 for categorical features), IR version 8. "
            + "Input 'features': [N, numeric features] raw values of the numeric features in the model's feature order, NaN "
            + "for a missing value; one string input [N] per categorical feature, named after its column, holding the "
            + "category as text ('' for a missing cell). The graph imputes, scales and one-hot encodes as the model's "
            + "pipeline does (an unknown category is all zeros; a row the service would refuse, an unknown category under "
            + "'reject' or a missing cell under imputation 'drop', answers NaN). Outputs: a classifier's 'probabilities' "
            + "[N, classes] and 'label' [N] (string); a regression's 'value' [N, outputs] in the target's units. Reals are "
            + "float64 (DOUBLE) for a float64 model and float32 (FLOAT) for a float32 one, unless ?precision= says otherwise.";

    /** The query parameters of GET /models. */
    private static final List<String> LIST_PARAMETERS = List.of("name", "tag", "page", "size");

    private final ModelService models;

    ModelController(ModelService models) {
        this.models = models;
    }

    @GetMapping
    @Operation(operationId = "listModels", summary = "List trained models, newest first, optionally of one name or tag",
            description = "An unknown query parameter is a 400, never ignored: a misspelt filter would list every model.")
    @ApiResponse(responseCode = "200", description = "A page of models", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "An unknown query parameter, or a page out of range", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    PageResponse<ModelResponse> list(@Parameter(description = "Only models of this name (the training request's name)")
                                     @RequestParam(required = false) String name,
                                     @Parameter(description = "Only models with this tag") @RequestParam(required = false) String tag,
                                     @RequestParam(defaultValue = "0") @Min(0) int page,
                                     @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size,
                                     @Parameter(hidden = true) @RequestParam Map<String, String> query) {
        for (String key : query.keySet()) {
            if (!LIST_PARAMETERS.contains(key)) {
                throw ApiException.invalid(key, "unknown query parameter; GET /models takes " + LIST_PARAMETERS);
            }
        }
        ModelFilter filter = new ModelFilter(name, tag);
        return new PageResponse<>(models.list(filter, page, size).stream().map(ModelResponse::of).toList(), page, size,
                models.count(filter));
    }

    @GetMapping("/by-name/{name}")
    @Operation(operationId = "getModelByName", summary = "The newest model of a name")
    @ApiResponse(responseCode = "200", description = "The model, without its weights", useReturnTypeSchema = true)
    ModelResponse getByName(@PathVariable String name) {
        return ModelResponse.of(models.summary(models.newestNamed(name)));
    }

    @GetMapping("/{id}")
    @ApiResponse(responseCode = "200", description = "The model, without its weights", useReturnTypeSchema = true)
    @Operation(operationId = "getModel", summary = "A model's input schema, architecture, preprocessing, classes, metrics and provenance",
            description = "The provenance records how the model was made and outlives its job: the training request with "
                    + "every default filled in, the seed, the data set and row counts, the job type and the Backprop version.")
    ModelResponse get(@PathVariable UUID id) {
        return ModelResponse.of(models.summary(id));
    }

    @GetMapping("/{id}/download")
    @ApiResponse(responseCode = "200", description = "The model document", useReturnTypeSchema = true)
    @Operation(operationId = "downloadModel", summary = "Download a model: the versioned model document with weights and provenance, as stored",
            description = "POST it to /models, here or on another Backprop, to import it under a new id.")
    ResponseEntity<ModelDocument> download(@PathVariable UUID id) {
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename("model-" + id + ".json").build().toString()).body(models.document(id));
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "importModel", summary = "Import a downloaded model document under a new id",
            description = "The document of GET /models/{id}/download, format 1 to " + ModelDocument.CURRENT_FORMAT
                    + "; it is checked (format, task, activations, a pipeline step per feature, weights of the architecture's "
                    + "shapes) and stored in the current format with its job id and provenance.")
    @ApiResponse(responseCode = "201", description = "Imported; Location names the new model", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "The document is invalid; the problem names each field at fault", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    ResponseEntity<ModelResponse> upload(@RequestBody ModelDocument document) {
        ModelDocument stored = models.importDocument(document);
        return ResponseEntity.created(URI.create("/models/" + stored.id())).body(ModelResponse.of(stored));
    }

    @GetMapping(path = "/{id}/onnx", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Operation(operationId = "exportOnnx", summary = "Export a model to ONNX (opset 17, in the model's precision)", description = ONNX_GRAPH)
    @ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
            schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "400", description = "An unknown precision", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    ResponseEntity<byte[]> onnx(@PathVariable UUID id, @Parameter(description = "The graph's reals: float64 (DOUBLE tensors) or "
            + "float32 (FLOAT); absent, the precision the model was trained in") @RequestParam(required = false) String precision) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).header(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename("model-" + id + ".onnx").build().toString()).body(models.onnx(id, precision));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteModel", summary = "Delete a model")
    @ApiResponse(responseCode = "204", description = "Deleted")
    void delete(@PathVariable UUID id) {
        models.delete(id);
    }
}
