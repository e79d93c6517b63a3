package dev.backprop.model.serving.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.backprop.model.ModelDocument;
import dev.backprop.model.ModelService;
import dev.backprop.model.Predictions;
import dev.backprop.platform.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * KServe's Open Inference Protocol v2 over REST: health, model metadata and readiness, and inference on typed
 * tensors. A model is addressed by its name (the newest model of it) or its id. Errors are the protocol's
 * {@code {"error": "..."}} with a 4xx status.
 */
@RestController
@RequestMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "KServe v2", description = "The Open Inference Protocol v2 (KServe, Triton, Seldon MLServer clients)")
@ApiResponse(responseCode = "400", description = "Invalid request: the protocol's error object", content = @Content(
        mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = KServeController.InferenceError.class)))
@ApiResponse(responseCode = "404", description = "No such model: the protocol's error object", content = @Content(
        mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = KServeController.InferenceError.class)))
class KServeController {

    private final ModelService models;

    KServeController(ModelService models) {
        this.models = models;
    }

    /** Characters of a message that echoes a submitted value (a model name, a tensor name), as the problems cap theirs. */
    private static final int MAX_ECHO = 300;

    /** The protocol's error body. */
    record InferenceError(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String error) {
    }

    record Liveness(boolean live) {
    }

    record Readiness(boolean ready) {
    }

    record ModelReadiness(String name, boolean ready) {
    }

    /** A tensor's name, datatype and shape (-1: any number of rows). */
    record TensorMetadata(String name, String datatype, List<Long> shape) {
    }

    record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
                         List<TensorMetadata> outputs) {
    }

    /** An output tensor: its data row-major, flat. */
    record OutputTensor(String name, List<Long> shape, String datatype, List<Object> data) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InferenceAnswer(@JsonProperty("model_name") String modelName, @JsonProperty("model_version") String modelVersion,
                           String id, List<OutputTensor> outputs) {
    }

    @GetMapping("/health/live")
    @Operation(operationId = "kserveLive", summary = "KServe v2: the server is live")
    @ApiResponse(responseCode = "200", description = "Live", useReturnTypeSchema = true)
    Liveness live() {
        return new Liveness(true);
    }

    @GetMapping("/health/ready")
    @Operation(operationId = "kserveReady", summary = "KServe v2: the server is ready for inference")
    @ApiResponse(responseCode = "200", description = "Ready", useReturnTypeSchema = true)
    Readiness ready() {
        models.count(dev.backprop.model.ModelFilter.all());
        return new Readiness(true);
    }

    @GetMapping("/models/{name}")
    @Operation(operationId = "kserveModelMetadata", summary = "KServe v2: a model's name, version and tensors",
            description = "A model without categorical features reads one tensor 'features' [N, features] in the model's "
                    + "feature order; one with categorical features reads one tensor per feature, named by it, [N] (BYTES "
                    + "for a categorical one). Inputs may also be sent per feature for any model.")
    @ApiResponse(responseCode = "200", description = "The metadata", useReturnTypeSchema = true)
    ModelMetadata metadata(@PathVariable String name) {
        UUID id = models.resolve(name);
        ModelDocument model = models.summary(id);
        String floats = "float32".equals(model.network().precision()) ? "FP32" : "FP64";
        List<TensorMetadata> inputs = new ArrayList<>();
        boolean categorical = model.pipeline() != null && model.pipeline().stream().anyMatch(s -> "categorical".equals(s.kind()));
        if (categorical) {
            for (ModelDocument.PipelineStep step : model.pipeline()) {
                inputs.add(new TensorMetadata(step.name(), "categorical".equals(step.kind()) ? "BYTES" : floats, List.of(-1L)));
            }
        } else {
            inputs.add(new TensorMetadata(KServeTensors.FEATURES, floats, List.of(-1L, (long) model.inputSchema().features().size())));
        }
        List<TensorMetadata> outputs = model.labels() == null
                ? List.of(new TensorMetadata(KServeTensors.VALUE, floats, List.of(-1L, 1L)))
                : List.of(new TensorMetadata(KServeTensors.LABEL, "BYTES", List.of(-1L)),
                new TensorMetadata(KServeTensors.PROBABILITIES, floats, List.of(-1L, (long) model.labels().size())));
        return new ModelMetadata(name, List.of(id.toString()), "backprop", inputs, outputs);
    }

    @GetMapping("/models/{name}/ready")
    @Operation(operationId = "kserveModelReady", summary = "KServe v2: the model is ready for inference")
    @ApiResponse(responseCode = "200", description = "Ready", useReturnTypeSchema = true)
    ModelReadiness modelReady(@PathVariable String name) {
        models.load(models.resolve(name));
        return new ModelReadiness(name, true);
    }

    @PostMapping(path = "/models/{name}/infer", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "kserveInfer", summary = "KServe v2: inference on typed tensors",
            description = "inputs: one tensor [N, features] (FP32, FP64 or INT*) in the model's feature order, or one tensor "
                    + "per feature named by it ([N] or [N, 1]; BYTES for a categorical feature); data flat row-major or nested. "
                    + "Outputs: a classifier's 'label' (BYTES [N]) and 'probabilities' ([N, classes]), a regression's 'value' "
                    + "([N, 1]), FP32 when every input is FP32, else FP64; 'outputs' in the request picks some of them. Parameters: "
                    + "the request's 'threshold' (a two-class model's decision threshold, 0 to 1), 'binary_data_output': false and "
                    + "'content_type': 'pd'; an input's 'content_type': 'str' (BYTES); an output's 'binary_data': false. Any other "
                    + "parameter, the binary data extension, or a value that is not a string, number or boolean is a 400.")
    @ApiResponse(responseCode = "200", description = "The output tensors", useReturnTypeSchema = true)
    InferenceAnswer infer(@PathVariable String name,
                          @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                                  mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object")))
                          @RequestBody JsonNode body) {
        UUID id = models.resolve(name);
        ModelDocument model = models.summary(id);
        KServeTensors.Decoded decoded = KServeTensors.decode(body, model.inputSchema().features());
        Predictions predictions = models.predict(id, decoded.input(), decoded.threshold());
        List<OutputTensor> outputs = new ArrayList<>();
        for (KServeTensors.Output output : KServeTensors.outputs(predictions, decoded.float32())) {
            if (decoded.requested() == null || decoded.requested().contains(output.name())) {
                outputs.add(new OutputTensor(output.name(), output.shape(), output.datatype(), output.data()));
            }
        }
        return new InferenceAnswer(name, id.toString(), body.hasNonNull("id") ? body.get("id").asString() : UUID.randomUUID().toString(),
                outputs);
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<InferenceError> problem(ApiException e) {
        return ResponseEntity.status(e.type().status()).contentType(MediaType.APPLICATION_JSON).body(new InferenceError(message(e)));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<InferenceError> unreadable(HttpMessageNotReadableException e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON)
                .body(new InferenceError("the body is not a JSON inference request"));
    }

    /** The detail and every field at fault, in one line: the protocol's error is one string. */
    static String message(ApiException e) {
        if (e.errors().size() <= 1) {
            return ApiException.capped(e.getMessage(), MAX_ECHO);
        }
        StringBuilder text = new StringBuilder(e.getMessage());
        e.errors().stream().skip(1).limit(10).forEach(f -> text.append("; ").append(f.field()).append(": ").append(f.message()));
        return ApiException.capped(text.toString(), 3 * MAX_ECHO);
    }

}
