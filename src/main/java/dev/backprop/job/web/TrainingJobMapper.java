package dev.backprop.job.web;

import dev.backprop.data.DataException;
import dev.backprop.data.Table;
import dev.backprop.dataset.DatasetService;
import dev.backprop.training.SearchSpec;
import dev.backprop.training.TrainingData;
import dev.backprop.training.TrainingJobSpec;
import dev.backprop.platform.ApiException;
import dev.backprop.platform.web.JsonCells;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Turns a web request into the domain's spec and data, checking every data cell on the way. */
@Component
class TrainingJobMapper {

    private final JsonMapper json;
    private final DatasetService datasets;

    TrainingJobMapper(JsonMapper json, DatasetService datasets) {
        this.json = json;
        this.datasets = datasets;
    }

    TrainingJobSpec spec(TrainingJobRequest request) {
        // Request and domain records share their JSON shape, so a conversion maps them field by field.
        return new TrainingJobSpec(request.name(), request.task(),
                request.network() == null ? null : json.convertValue(request.network(), TrainingJobSpec.NetworkConfig.class),
                request.training() == null ? null : json.convertValue(request.training(), TrainingJobSpec.TrainingConfig.class));
    }

    /** The search of a search request, or null for a training request. */
    SearchSpec search(TrainingJobRequest request) {
        boolean isSearch = request.type() != null && !request.type().equals("training");
        if (isSearch != (request.search() != null)) {
            throw ApiException.invalid("search", isSearch ? "is required for " + request.type() : "applies only to grid_search and random_search");
        }
        if (!isSearch) {
            return null;
        }
        SearchRequest s = request.search();
        return new SearchSpec(request.type(), s.space(), s.metric(), s.mode(), s.maxTrials(), s.maxRuntimeSeconds(), s.parallelism(),
                s.seed(), s.folds(), s.refit(), s.maxConsecutiveFailures());
    }

    TrainingData data(DataRequest data) {
        boolean tabular = data.columns() != null || data.rows() != null;
        boolean arrays = data.features() != null || data.targets() != null;
        boolean stored = data.datasetId() != null;
        boolean csv = data.csv() != null;
        if ((tabular ? 1 : 0) + (arrays ? 1 : 0) + (stored ? 1 : 0) + (csv ? 1 : 0) != 1) {
            throw ApiException.invalid("data", "send one of: datasetId and targetColumn; csv and targetColumn; columns, rows "
                    + "and targetColumn; features and targets");
        }
        if (csv) {
            return new TrainingData(datasets.parseCsv(data.csv()), data.targetColumn(), data.featureColumns());
        }
        if (stored) {
            Table table;
            try {
                table = datasets.table(data.datasetId());
            } catch (ApiException e) {
                throw ApiException.invalid("data.datasetId", "no dataset " + data.datasetId());
            }
            return new TrainingData(table, data.targetColumn(), data.featureColumns(), data.datasetId());
        }
        JsonCells.Errors errors = JsonCells.errors();
        try {
            if (tabular) {
                if (data.columns() == null || data.rows() == null) {
                    throw ApiException.invalid(data.columns() == null ? "data.columns" : "data.rows", "is required with "
                            + (data.columns() == null ? "rows" : "columns"));
                }
                List<List<Object>> rows = JsonCells.rows(data.rows(), "data.rows", errors);
                errors.throwIfAny();
                return new TrainingData(new Table(data.columns(), rows), data.targetColumn(), data.featureColumns());
            }
            if (data.features() == null || data.targets() == null) {
                throw ApiException.invalid(data.features() == null ? "data.features" : "data.targets", "is required with "
                        + (data.features() == null ? "targets" : "features"));
            }
            if (data.targetColumn() != null || data.featureColumns() != null) {
                throw ApiException.invalid("data.targetColumn", "applies to columns and rows, not to features and targets");
            }
            return arrays(data, errors);
        } catch (DataException e) {
            throw ApiException.validation(e.problems().stream()
                    .map(p -> new ApiException.FieldError(p.field(), p.message())).toList());
        }
    }

    private TrainingData arrays(DataRequest data, JsonCells.Errors errors) {
        List<List<Object>> features = JsonCells.rows(data.features(), "data.features", errors);
        List<Object> targets = JsonCells.values(data.targets(), "data.targets", errors);
        errors.throwIfAny();
        if (features.size() != targets.size()) {
            throw ApiException.invalid("data.targets", "has " + targets.size() + " values for " + features.size() + " feature rows");
        }
        int width = features.isEmpty() ? 0 : features.get(0).size();
        List<String> columns = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            columns.add("x" + c);
        }
        columns.add("y");
        List<List<Object>> rows = new ArrayList<>(features.size());
        for (int r = 0; r < features.size(); r++) {
            List<Object> row = features.get(r);
            if (row.size() != width) {
                throw ApiException.invalid("data.features[" + r + "]", "has " + row.size() + " values, expected " + width
                        + " like the first row");
            }
            List<Object> cells = new ArrayList<>(row);
            cells.add(targets.get(r));
            rows.add(cells);
        }
        return new TrainingData(new Table(columns, rows), "y", null);
    }
}
