package dev.backprop.job.web;

import dev.backprop.data.DataException;
import dev.backprop.data.Table;
import dev.backprop.dataset.DatasetService;
import dev.backprop.training.Direction;
import dev.backprop.training.Imputation;
import dev.backprop.training.OptimizerType;
import dev.backprop.training.Scaling;
import dev.backprop.training.ScheduleType;
import dev.backprop.training.SearchSpec;
import dev.backprop.training.SearchStrategy;
import dev.backprop.training.SearchType;
import dev.backprop.training.TargetScalingMode;
import dev.backprop.training.TrainingData;
import dev.backprop.training.TrainingJobSpec;
import dev.backprop.training.TrainingJobSpec.EarlyStoppingConfig;
import dev.backprop.training.TrainingJobSpec.ScheduleConfig;
import dev.backprop.training.TrainingJobSpec.TrainingConfig;
import dev.backprop.training.UnknownCategories;
import dev.backprop.training.ValidationSplit;
import dev.backprop.training.WireName;
import dev.backprop.platform.ApiException;
import dev.backprop.platform.web.JsonCells;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
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

    /**
     * The domain's spec of a request: its options parsed into their enums, a 400 naming every field whose
     * option is unknown; everything else is checked by the resolver.
     */
    TrainingJobSpec spec(TrainingJobRequest request) {
        Options options = new Options();
        TrainingConfig training = request.training() == null ? null : training(request.training(), options);
        options.throwIfAny();
        // The network holds no options of its own (the engine names its activations and initializers), and request
        // and domain records share their JSON shape, so a conversion maps it field by field.
        return new TrainingJobSpec(request.name(), request.task(),
                request.network() == null ? null : json.convertValue(request.network(), TrainingJobSpec.NetworkConfig.class),
                training, request.tags());
    }

    private static TrainingConfig training(TrainingRequest t, Options options) {
        EarlyStoppingRequest e = t.earlyStopping();
        ScheduleRequest s = t.schedule();
        return new TrainingConfig(t.loss(), options.parse("training.optimizer", t.optimizer(), OptimizerType::parse),
                t.learningRate(), t.momentum(), t.nesterov(), t.beta1(), t.beta2(), t.rho(), t.epsilon(), t.epochs(), t.batchSize(),
                t.l1(), t.l2(), t.seed(), t.validationFraction(),
                options.parse("training.validationSplit", t.validationSplit(), ValidationSplit::parse),
                options.parse("training.scaling", t.scaling(), Scaling::parse),
                options.parse("training.imputation", t.imputation(), Imputation::parse),
                options.parse("training.unknownCategories", t.unknownCategories(), UnknownCategories::parse),
                e == null ? null : new EarlyStoppingConfig(e.monitor(),
                        options.parse("training.earlyStopping.mode", e.mode(), Direction::parse), e.patience(), e.minDelta()),
                s == null ? null : new ScheduleConfig(options.parse("training.schedule.type", s.type(), ScheduleType::parse),
                        s.everyEpochs(), s.factor(), s.rate(), s.monitor(), s.patience(), s.minDelta(), s.minLearningRate()),
                t.clipNorm(), t.maxRuntimeSeconds(),
                options.parse("training.targetScaling", t.targetScaling(), TargetScalingMode::parse), t.classWeights());
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
        SearchType type = WireName.find(SearchType.class, request.type()).orElseThrow(() -> ApiException.invalid("type",
                "must be training, " + WireName.alternatives(SearchType.class, " or ") + ", was '" + request.type() + "'"));
        SearchRequest s = request.search();
        Options options = new Options();
        Direction mode = options.parse("search.mode", s.mode(), Direction::parse);
        SearchStrategy strategy = options.parse("search.strategy", s.strategy(), SearchStrategy::parse);
        options.throwIfAny();
        return new SearchSpec(type, s.space(), s.metric(), mode, s.maxTrials(), s.maxRuntimeSeconds(), s.parallelism(),
                s.seed(), s.folds(), s.refit(), s.maxConsecutiveFailures(), s.medianStopping(), s.medianStoppingMinEpochs(),
                s.medianStoppingMinTrials(), strategy, s.halvingEta());
    }

    /** Parses options, collecting each unknown one as an error of its field. */
    private static final class Options {
        private final List<ApiException.FieldError> errors = new ArrayList<>();

        /** The option named {@code name}, or null when absent or unknown (then recorded). */
        <E> E parse(String field, String name, Function<String, E> parser) {
            if (name == null) {
                return null;
            }
            try {
                return parser.apply(name);
            } catch (IllegalArgumentException e) {
                errors.add(new ApiException.FieldError(field, e.getMessage()));
                return null;
            }
        }

        void throwIfAny() {
            if (!errors.isEmpty()) {
                throw ApiException.validation(errors);
            }
        }
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
