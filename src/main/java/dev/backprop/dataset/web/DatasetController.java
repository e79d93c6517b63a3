package dev.backprop.dataset.web;

import dev.backprop.data.CsvReader;
import dev.backprop.platform.web.ProblemResponse;
import dev.backprop.data.DataException;
import dev.backprop.data.Table;
import dev.backprop.dataset.Dataset;
import dev.backprop.dataset.DatasetService;
import dev.backprop.platform.web.JsonCells;
import dev.backprop.platform.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.UUID;
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
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Data sets: upload a CSV (or JSON rows) once, train on it many times. */
@RestController
@RequestMapping(path = "/datasets", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Datasets", description = "Upload tabular data once and train on it many times")
@ApiResponse(responseCode = "400", description = "Invalid data: the problem names rows and columns", content = @Content(
        mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
class DatasetController {

    /** The three upload methods are one operation of the OpenAPI document, with one summary and description. */
    private static final String UPLOAD_SUMMARY = "Upload a data set: a CSV body (text/csv), a CSV file (multipart part 'file') "
            + "or JSON rows";
    private static final String UPLOAD_DESCRIPTION = "CSV is UTF-8 with a header row. Answers 201 with the inferred schema, "
            + "statistics and a preview; Location names the data set. At the tenant's or the service's data set quota "
            + "(a count: 429, bytes: 413, the problem naming quota, scope, limit and used) nothing is stored.";

    private final DatasetService datasets;

    DatasetController(DatasetService datasets) {
        this.datasets = datasets;
    }

    private static final String DELIMITER = "Field separator: comma, semicolon, tab or pipe (or the character itself); "
            + "sniffed from the first lines when absent";
    private static final String COLUMN_TYPES = "Column types overriding inference, as column:type pairs separated by commas "
            + "(numeric: cells that are not numbers read as missing; categorical: the text of every cell), e.g. age:numeric,zip:categorical";

    @PostMapping(consumes = "text/csv")
    @Operation(operationId = "uploadDataset", summary = UPLOAD_SUMMARY, description = UPLOAD_DESCRIPTION)
    @ApiResponse(responseCode = "201", description = "Stored", useReturnTypeSchema = true)
    ResponseEntity<DatasetResponse> uploadCsv(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            mediaType = "text/csv", schema = @Schema(type = "string"))) HttpServletRequest request, @RequestParam(required = false) String name,
                                              @RequestParam(required = false) @Parameter(description = DELIMITER) String delimiter,
                                              @RequestParam(required = false) @Parameter(description = COLUMN_TYPES) String columnTypes)
            throws IOException {
        CsvReader.Options options = CsvUploadOptions.parse(delimiter, columnTypes);
        try (InputStream body = request.getInputStream()) {
            return created(datasets.uploadCsv(name, body, options));
        }
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(operationId = "uploadDataset", summary = UPLOAD_SUMMARY, description = UPLOAD_DESCRIPTION)
    @ApiResponse(responseCode = "201", description = "Stored", useReturnTypeSchema = true)
    ResponseEntity<DatasetResponse> uploadFile(@RequestPart("file") MultipartFile file, @RequestParam(required = false) String name,
                                               @RequestParam(required = false) @Parameter(description = DELIMITER) String delimiter,
                                               @RequestParam(required = false) @Parameter(description = COLUMN_TYPES) String columnTypes)
            throws IOException {
        CsvReader.Options options = CsvUploadOptions.parse(delimiter, columnTypes);
        try (InputStream body = file.getInputStream()) {
            return created(datasets.uploadCsv(name != null ? name : file.getOriginalFilename(), body, options));
        }
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "uploadDataset", summary = UPLOAD_SUMMARY, description = UPLOAD_DESCRIPTION)
    @ApiResponse(responseCode = "201", description = "Stored", useReturnTypeSchema = true)
    ResponseEntity<DatasetResponse> uploadRows(@Valid @RequestBody DatasetRowsRequest request) {
        JsonCells.Errors errors = JsonCells.errors();
        var rows = JsonCells.rows(request.rows(), "rows", errors);
        errors.throwIfAny();
        try {
            return created(datasets.upload(request.name(), new Table(request.columns(), rows)));
        } catch (DataException e) {
            throw DatasetService.asProblem(e);
        }
    }

    private static ResponseEntity<DatasetResponse> created(Dataset dataset) {
        return ResponseEntity.created(URI.create("/datasets/" + dataset.id())).body(DatasetResponse.of(dataset, null));
    }

    @GetMapping
    @Operation(operationId = "listDatasets", summary = "List data sets, newest first")
    @ApiResponse(responseCode = "200", description = "A page of data sets", useReturnTypeSchema = true)
    PageResponse<DatasetResponse> list(@RequestParam(defaultValue = "0") @Min(0) int page,
                                       @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return new PageResponse<>(datasets.list(page, size).stream().map(d -> DatasetResponse.of(d, null)).toList(), page, size,
                datasets.count());
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getDataset", summary = "A data set's schema, statistics per column and first rows")
    @ApiResponse(responseCode = "200", description = "The data set", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No such data set", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    DatasetResponse get(@PathVariable UUID id) {
        return DatasetResponse.of(datasets.get(id), datasets.preview(id));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteDataset", summary = "Delete a data set; 409 while queued or running jobs use it")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such data set", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    @ApiResponse(responseCode = "409", description = "Queued or running jobs use it", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    void delete(@PathVariable UUID id) {
        datasets.delete(id);
    }
}
