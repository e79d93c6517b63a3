package dev.backprop.model.serving.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.backprop.model.ModelInput;
import dev.backprop.model.ModelService;
import dev.backprop.model.Predictions;
import dev.backprop.platform.ApiException;
import dev.backprop.platform.ProblemType;
import dev.backprop.platform.web.JsonCells;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * MLflow's scoring protocol ({@code mlflow models serve}'s {@code /invocations}) on each model: the JSON
 * bodies {@code dataframe_split}, {@code dataframe_records}, {@code instances} and {@code inputs}, or a CSV
 * body; {@code {"predictions": [...]}} out, one label or value per row, or with {@code "params": {"predict_method":
 * "predict_proba"}} (the pyfunc convention of MLflow's documentation, whose custom models read that parameter to call
 * scikit-learn's {@code predict_proba}) a classifier's class probabilities per row. Errors are MLflow's
 * {@code {"error_code", "message"}}.
 */
@RestController
@RequestMapping(path = "/models", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "MLflow scoring", description = "MLflow's /invocations protocol, per model")
@ApiResponse(responseCode = "400", description = "Invalid input: MLflow's error object", content = @Content(
        mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = MlflowController.ScoringError.class)))
@ApiResponse(responseCode = "404", description = "No such model: MLflow's error object", content = @Content(
        mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = MlflowController.ScoringError.class)))
class MlflowController {

    private static final Set<String> FORMATS = Set.of("dataframe_split", "dataframe_records", "instances", "inputs");
    private static final String DESCRIPTION = "application/json with exactly one of dataframe_split ({\"columns\": [...], "
            + "\"data\": [[...]]}), dataframe_records ([{\"column\": value}]), instances or inputs (rows in the model's feature "
            + "order, records, or for inputs also {\"column\": [values]}); or text/csv with a header row. The model is its id or "
            + "its name (the newest model of it). A JSON body may add \"params\": {\"predict_method\": \"predict_proba\"} "
            + "for a classifier's class probabilities per row (in the model's label order) instead of labels, or "
            + "\"predict\" (the default); any other parameter is a 400.";
    private static final String PARAMS = "params";
    private static final String PREDICT_METHOD = "predict_method";

    private final ModelService models;

    MlflowController(ModelService models) {
        this.models = models;
    }

    /** MLflow's error body. */
    record ScoringError(@JsonProperty("error_code") String errorCode, String message) {
    }

    /** One label (classifier), list of class probabilities ({@code predict_proba}) or value (regression) per row. */
    record ScoringAnswer(List<Object> predictions) {
    }

    @PostMapping(path = "/{model}/invocations", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "mlflowInvocations", summary = "MLflow scoring: rows in, one prediction per row out", description = DESCRIPTION)
    @ApiResponse(responseCode = "200", description = "The predictions", useReturnTypeSchema = true)
    ScoringAnswer invocations(@PathVariable String model,
                              @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                                      mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object")))
                              @RequestBody JsonNode body) {
        UUID id = models.resolve(model);
        boolean probabilities = predictProba(body.get(PARAMS));
        Predictions predictions = models.predict(id, input(body), null);
        if (probabilities && predictions.labels() == null) {
            throw ApiException.invalid(PARAMS + "." + PREDICT_METHOD, "predict_proba needs a classifier; this model is a regression");
        }
        return probabilities ? new ScoringAnswer(predictions.rows().stream().map(row -> (Object) Arrays.stream(row.probabilities())
                .boxed().toList()).toList()) : answer(predictions);
    }

    /** Whether {@code params} asks for {@code predict_proba}; unknown parameters are refused, not ignored. */
    private static boolean predictProba(JsonNode params) {
        if (params == null || params.isNull()) {
            return false;
        }
        if (!params.isObject()) {
            throw ApiException.invalid(PARAMS, "is an object of parameters, got " + params);
        }
        boolean proba = false;
        for (Map.Entry<String, JsonNode> param : params.properties()) {
            if (!param.getKey().equals(PREDICT_METHOD)) {
                throw ApiException.invalid(PARAMS + "." + param.getKey(), "is no parameter of this model; it takes " + PREDICT_METHOD);
            }
            String method = param.getValue().isString() ? param.getValue().asString() : String.valueOf(param.getValue());
            if (!List.of("predict", "predict_proba").contains(method)) {
                throw ApiException.invalid(PARAMS + "." + PREDICT_METHOD, "is predict or predict_proba, got " + param.getValue());
            }
            proba = method.equals("predict_proba");
        }
        return proba;
    }

    @PostMapping(path = "/{model}/invocations", consumes = "text/csv")
    @Operation(operationId = "mlflowInvocations", summary = "MLflow scoring: rows in, one prediction per row out", description = DESCRIPTION)
    @ApiResponse(responseCode = "200", description = "The predictions", useReturnTypeSchema = true)
    ScoringAnswer invocationsCsv(@PathVariable String model,
                                 @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                                         mediaType = "text/csv", schema = @Schema(type = "string"))) HttpServletRequest request)
            throws IOException {
        UUID id = models.resolve(model);
        try (InputStream body = request.getInputStream()) {
            return answer(models.predict(id, models.csvRows(id, body), null));
        }
    }

    private static ScoringAnswer answer(Predictions predictions) {
        List<Object> answers = new ArrayList<>();
        predictions.rows().forEach(row -> answers.add(predictions.labels() == null ? row.value() : row.label()));
        return new ScoringAnswer(answers);
    }

    private static ModelInput input(JsonNode body) {
        List<String> keys = new ArrayList<>();
        if (body.isObject()) {
            body.propertyNames().forEach(keys::add);
            keys.remove(PARAMS);
        }
        if (keys.size() != 1 || !FORMATS.contains(keys.get(0))) {
            throw ApiException.invalid("body", "the input must be a JSON object with exactly one of the input fields "
                    + FORMATS + "; received " + keys);
        }
        String format = keys.get(0);
        JsonNode value = body.get(format);
        JsonCells.Errors errors = JsonCells.errors();
        ModelInput input = switch (format) {
            case "dataframe_split" -> new ModelInput(null, split(value, errors), null);
            case "dataframe_records" -> new ModelInput(null, records(value, format, errors), null);
            default -> value.isObject() ? new ModelInput(null, columnar(value, format, errors), null)
                    : value.isArray() && !value.isEmpty() && value.get(0).isObject() ? new ModelInput(null, records(value, format, errors), null)
                    : new ModelInput(rows(value, format, errors), null, null);
        };
        errors.throwIfAny();
        return input;
    }

    private static List<Map<String, Object>> split(JsonNode frame, JsonCells.Errors errors) {
        JsonNode columns = frame.get("columns");
        JsonNode data = frame.get("data");
        if (!frame.isObject() || columns == null || !columns.isArray() || data == null || !data.isArray()) {
            throw ApiException.invalid("dataframe_split", "needs 'columns' (names) and 'data' (rows), as pandas' to_dict(orient='split')");
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (int r = 0; r < data.size(); r++) {
            JsonNode row = data.get(r);
            if (!row.isArray() || row.size() != columns.size()) {
                throw ApiException.invalid("dataframe_split.data[" + r + "]", "needs one value per column (" + columns.size() + ")");
            }
            Map<String, Object> record = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                record.put(columns.get(c).asString(), JsonCells.cell(row.get(c), "dataframe_split.data[" + r + "][" + c + "]", errors));
            }
            records.add(record);
        }
        return records;
    }

    private static List<Map<String, Object>> records(JsonNode value, String field, JsonCells.Errors errors) {
        if (!value.isArray()) {
            throw ApiException.invalid(field, "needs an array of records");
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (int r = 0; r < value.size(); r++) {
            JsonNode record = value.get(r);
            if (!record.isObject()) {
                throw ApiException.invalid(field + "[" + r + "]", "needs an object keyed by column name");
            }
            Map<String, Object> cells = new LinkedHashMap<>();
            int row = r;
            record.properties().forEach(e -> cells.put(e.getKey(), JsonCells.cell(e.getValue(), field + "[" + row + "]." + e.getKey(), errors)));
            records.add(cells);
        }
        return records;
    }

    private static List<Map<String, Object>> columnar(JsonNode value, String field, JsonCells.Errors errors) {
        List<Map<String, Object>> records = new ArrayList<>();
        int rows = -1;
        for (Map.Entry<String, JsonNode> column : value.properties()) {
            if (!column.getValue().isArray() || rows >= 0 && column.getValue().size() != rows) {
                throw ApiException.invalid(field + "." + column.getKey(), "needs an array of values, as long as every other column");
            }
            rows = column.getValue().size();
        }
        for (int r = 0; r < rows; r++) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> column : value.properties()) {
                record.put(column.getKey(), JsonCells.cell(column.getValue().get(r), field + "." + column.getKey() + "[" + r + "]", errors));
            }
            records.add(record);
        }
        return records;
    }

    private static List<List<Object>> rows(JsonNode value, String field, JsonCells.Errors errors) {
        if (!value.isArray()) {
            throw ApiException.invalid(field, "needs an array of rows");
        }
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < value.size(); r++) {
            JsonNode row = value.get(r);
            if (!row.isArray()) {
                throw ApiException.invalid(field + "[" + r + "]", "needs an array of feature values in the model's feature order");
            }
            List<Object> cells = new ArrayList<>();
            for (int c = 0; c < row.size(); c++) {
                cells.add(JsonCells.cell(row.get(c), field + "[" + r + "][" + c + "]", errors));
            }
            rows.add(cells);
        }
        return rows;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ScoringError> problem(ApiException e) {
        String code = e.type() == ProblemType.NOT_FOUND ? "RESOURCE_DOES_NOT_EXIST" : "BAD_REQUEST";
        return ResponseEntity.status(e.type().status()).contentType(MediaType.APPLICATION_JSON)
                .body(new ScoringError(code, KServeController.message(e)));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ScoringError> unreadable(HttpMessageNotReadableException e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON)
                .body(new ScoringError("MALFORMED_REQUEST", "the body is not valid JSON"));
    }
}
