package dev.backprop.model.web;

import dev.backprop.model.MetricsReport;
import dev.backprop.model.ModelInput;
import dev.backprop.model.ModelService;
import dev.backprop.model.PermutationImportance;
import dev.backprop.model.Predictions;
import dev.backprop.platform.ApiException;
import dev.backprop.platform.web.JsonCells;
import dev.backprop.platform.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** A model called on rows: predictions (JSON, CSV or float32 in; JSON or CSV out), evaluation and feature importance. */
@RestController
@RequestMapping(path = "/models", produces = {MediaType.APPLICATION_JSON_VALUE, PredictionController.CSV})
@Tag(name = "Models", description = "Trained models: predictions and evaluation")
@ApiResponse(responseCode = "404", description = "No such model (or data set)", content = @Content(
        mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
@ApiResponse(responseCode = "400", description = "A row, target or option is invalid; the problem names it", content = @Content(
        mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
class PredictionController {

    static final String CSV = "text/csv";

    /** Predict's methods are one operation of the OpenAPI document, with one summary and description. */
    private static final String PREDICT_SUMMARY = "Predict: rows in (JSON instances or records, CSV, or little-endian float32 "
            + "values), labels with class probabilities (or values) out, as JSON or as CSV (Accept: text/csv)";
    private static final String PREDICT_BODIES = "application/json: {\"instances\": [[...], ...]} in the model's feature "
            + "order, or {\"records\": [{\"column\": value}]}. text/csv: a header row naming the model's features (in any "
            + "order; other columns such as the target are ignored), one row per prediction. application/octet-stream: rows "
            + "× features little-endian IEEE-754 float32 values (numpy: X.astype('<f4').tobytes()), row after row, each row "
            + "in the model's feature order, NaN for a missing value; for many rows at once, no decimal numbers to parse "
            + "(models with a categorical feature need JSON or CSV). With Accept: text/csv the answer is CSV: a label column "
            + "and one probability column per class, or a value column.";
    private static final String THRESHOLD = "A two-class model predicts its second class at or above this probability "
            + "(default 0.5)";

    private final ModelService models;
    private final JacksonJsonHttpMessageConverter json;

    PredictionController(ModelService models, JsonMapper mapper) {
        this.models = models;
        this.json = new JacksonJsonHttpMessageConverter(mapper);
    }

    @PostMapping(path = "/{id}/predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "predict", summary = PREDICT_SUMMARY, description = PREDICT_BODIES)
    @ApiResponse(responseCode = "200", description = "One prediction per row, in order", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PredictResponse.class)),
            @Content(mediaType = CSV, schema = @Schema(type = "string"))})
    ResponseEntity<?> predict(@PathVariable UUID id,
                              @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                                      mediaType = MediaType.APPLICATION_JSON_VALUE,
                                      schema = @Schema(implementation = PredictRequest.class))) @RequestBody byte[] body,
                              @Parameter(description = THRESHOLD) @RequestParam(required = false) Double threshold,
                              @RequestHeader(value = "Accept", required = false) String accept,
                              HttpServletRequest request) throws IOException {
        MediaType type;
        try {
            type = MediaType.parseMediaType(request.getContentType());
        } catch (org.springframework.http.InvalidMediaTypeException e) {
            type = MediaType.APPLICATION_JSON;  // routed here as JSON; Jackson detects the encoding itself
        }
        boolean utf8 = type.getCharset() == null || type.getCharset().equals(StandardCharsets.UTF_8)
                || type.getCharset().equals(StandardCharsets.US_ASCII);
        InstancesScan.Matrix rows = utf8 ? InstancesScan.scan(body) : null;
        if (rows != null) {
            Optional<Predictions> answered = models.predictRows(id, rows.values(), rows.rows(), rows.width(), threshold);
            if (answered.isPresent()) {
                return answer(id, answered.get(), accept);
            }
        }
        PredictBody read = read(body, type);
        if (read == null) {  // a body of JSON null, which a required @RequestBody PredictBody refused the same way
            throw new org.springframework.http.converter.HttpMessageNotReadableException("Required request body is missing",
                    new org.springframework.http.server.ServletServerHttpRequest(request));
        }
        read.errors().throwIfAny();
        return answer(id, models.predict(id, read.instances(), read.records(), threshold), accept);
    }

    /**
     * The body as Jackson reads it, through the converter every other JSON body goes through, so that a malformed one
     * fails with the same exception (and the same 400) as before the byte scan existed.
     */
    private PredictBody read(byte[] body, MediaType type) throws IOException {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(type);
        headers.setContentLength(body.length);
        return (PredictBody) json.read(PredictBody.class, new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        });
    }

    @PostMapping(path = "/{id}/predict", consumes = CSV)
    @Operation(operationId = "predict", summary = PREDICT_SUMMARY, description = PREDICT_BODIES)
    @ApiResponse(responseCode = "200", description = "One prediction per row, in order", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PredictResponse.class)),
            @Content(mediaType = CSV, schema = @Schema(type = "string"))})
    ResponseEntity<?> predictCsv(@PathVariable UUID id,
                                 @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                                         mediaType = CSV, schema = @Schema(type = "string"))) HttpServletRequest request,
                                 @Parameter(description = THRESHOLD) @RequestParam(required = false) Double threshold,
                                 @RequestHeader(value = "Accept", required = false) String accept) throws IOException {
        try (InputStream body = request.getInputStream()) {
            return answer(id, models.predict(id, models.csvRows(id, body), threshold), accept);
        }
    }

    @PostMapping(path = "/{id}/predict", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Operation(operationId = "predict", summary = PREDICT_SUMMARY, description = PREDICT_BODIES)
    @ApiResponse(responseCode = "200", description = "One prediction per row, in order", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PredictResponse.class)),
            @Content(mediaType = CSV, schema = @Schema(type = "string"))})
    ResponseEntity<?> predictFloat32(@PathVariable UUID id,
                                     @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                                             mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                                             schema = @Schema(type = "string", format = "binary"))) @RequestBody byte[] body,
                                     @Parameter(description = THRESHOLD) @RequestParam(required = false) Double threshold,
                                     @RequestHeader(value = "Accept", required = false) String accept) {
        return answer(id, models.predictFloat32(id, body, threshold), accept);
    }

    /** JSON unless the client asked for CSV (and not for JSON first). */
    private static ResponseEntity<?> answer(UUID id, Predictions predictions, String accept) {
        if (accept != null && accept.contains(CSV) && (!accept.contains(MediaType.APPLICATION_JSON_VALUE)
                || accept.indexOf(CSV) < accept.indexOf(MediaType.APPLICATION_JSON_VALUE))) {
            return ResponseEntity.ok().contentType(MediaType.parseMediaType(CSV + ";charset=UTF-8")).body(PredictionsCsv.of(predictions));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(PredictResponse.of(id, predictions));
    }

    @PostMapping(path = "/{id}/evaluate", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "evaluate", summary = "Evaluate: labelled rows (or a stored data set) in, the full metric set out",
            description = "A two-class model's answer adds its ROC and precision–recall curves (rocCurve, precisionRecallCurve), "
                    + "one point per distinct probability, thinned to 201 points; a model of more than two classes adds classCurves, "
                    + "each class's two curves against the rest (one-vs-rest, for the classes present among the rows and absent "
                    + "from some); a one-output regression's answer adds residuals, predicted and actual values of every row up "
                    + "to 1,000, beyond that of 1,000 rows evenly spaced through them.")
    @ApiResponse(responseCode = "200", description = "The metrics of the model on the rows", useReturnTypeSchema = true)
    MetricsReport evaluate(@PathVariable UUID id, @RequestBody EvaluateRequest request) {
        return models.evaluate(id, labelled(id, request.instances(), request.targets(), request.records(), request.datasetId()));
    }

    @PostMapping(path = "/{id}/importance", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "explainModel", summary = "Permutation feature importance on labelled rows or a stored data set",
            description = "As scikit-learn's permutation_importance: each feature's column is shuffled repeats times (seeded) "
                    + "and the model scored again (accuracy for a classifier, R² for a regression); importanceMean is the mean "
                    + "drop of the score, importanceStd its standard deviation, importances every drop.")
    @ApiResponse(responseCode = "200", description = "The score drop of each feature", useReturnTypeSchema = true)
    PermutationImportance.Result importance(@PathVariable UUID id, @RequestBody ImportanceRequest request) {
        int repeats = request.repeats() == null ? ImportanceRequest.DEFAULT_REPEATS : request.repeats();
        if (repeats < 1 || repeats > PermutationImportance.MAX_REPEATS) {
            throw ApiException.invalid("repeats", "must be from 1 to " + PermutationImportance.MAX_REPEATS + ", got " + repeats);
        }
        ModelInput input = labelled(id, request.instances(), request.targets(), request.records(), request.datasetId());
        return models.importance(id, input, repeats, request.seed() == null ? 0 : request.seed());
    }

    /** Labelled rows from exactly one of instances with targets, records and a data set. */
    private ModelInput labelled(UUID id, java.util.List<java.util.List<tools.jackson.databind.JsonNode>> instances,
                                java.util.List<tools.jackson.databind.JsonNode> targets,
                                java.util.List<java.util.Map<String, tools.jackson.databind.JsonNode>> records, UUID datasetId) {
        if (datasetId != null) {
            if (instances != null || records != null) {
                throw ApiException.invalid("datasetId", "send rows or a data set, not both");
            }
            return models.storedRows(id, datasetId);
        }
        JsonCells.Errors errors = JsonCells.errors();
        ModelInput input = new ModelInput(
                instances == null ? null : JsonCells.rows(instances, "instances", errors),
                records == null ? null : JsonCells.records(records, "records", errors),
                targets == null ? null : JsonCells.values(targets, "targets", errors));
        errors.throwIfAny();
        return input;
    }
}
