package dev.backprop.dataset.web;

import dev.backprop.data.CsvReader;
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
import org.springframework.http.ProblemDetail;
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
        mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
class DatasetController {

    private final DatasetService datasets;

    DatasetController(DatasetService datasets) {
        this.datasets = datasets;
    }

    private static final String DELIMITER = "Field separator: comma, semicolon, tab or pipe (or the character itself); "
            + "sniffed from the first lines when absent";
    private static final String COLUMN_TYPES = "Column types overriding inference, as column:type pairs separated by commas "
            + "(numeric: cells that are not numbers read as missing; categorical: the text of every cell), e.g. age:numeric,zip:categorical";

    @PostMapping(consumes = "text/csv")
    @Operation(summary = "Upload a CSV body (UTF-8, header row); answers 201 with the inferred schema")
    @ApiResponse(responseCode = "201", description = "Stored")
    ResponseEntity<DatasetResponse> uploadCsv(HttpServletRequest request, @RequestParam(required = false) String name,
                                              @RequestParam(required = false) @Parameter(description = DELIMITER) String delimiter,
                                              @RequestParam(required = false) @Parameter(description = COLUMN_TYPES) String columnTypes)
            throws IOException {
        CsvReader.Options options = CsvUploadOptions.parse(delimiter, columnTypes);
        try (InputStream body = request.getInputStream()) {
            return created(datasets.uploadCsv(name, body, options));
        }
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Upload a CSV file as multipart form data (part 'file'); answers 201 with the inferred schema")
    @ApiResponse(responseCode = "201", description = "Stored")
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
    @Operation(summary = "Upload JSON rows; answers 201 with the inferred schema")
    @ApiResponse(responseCode = "201", description = "Stored")
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
    @Operation(summary = "List data sets, newest first")
    PageResponse<DatasetResponse> list(@RequestParam(defaultValue = "0") @Min(0) int page,
                                       @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return new PageResponse<>(datasets.list(page, size).stream().map(d -> DatasetResponse.of(d, null)).toList(), page, size,
                datasets.count());
    }

    @GetMapping("/{id}")
    @Operation(summary = "A data set's schema, statistics per column and first rows")
    DatasetResponse get(@PathVariable UUID id) {
        return DatasetResponse.of(datasets.get(id), datasets.preview(id));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a data set; 409 while queued or running jobs use it")
    void delete(@PathVariable UUID id) {
        datasets.delete(id);
    }
}
