package dev.backprop.model;

import dev.backprop.data.CsvReader;
import dev.backprop.data.DataException;
import dev.backprop.data.FeatureMatrix;
import dev.backprop.data.FeaturePipeline;
import dev.backprop.data.Table;
import dev.backprop.nn.Metrics;
import dev.backprop.nn.Network;
import dev.backprop.nn.Precision;
import dev.backprop.nn.Task;
import dev.backprop.platform.ApiException;
import dev.backprop.platform.ApiException.FieldError;
import dev.backprop.platform.BackpropProperties;
import dev.backprop.platform.PackedArrays;
import dev.backprop.security.Audit;
import dev.backprop.security.Caller;
import dev.backprop.security.Quota;
import dev.backprop.security.Quotas;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Stores trained models, keeps the most used ones loaded, and answers predictions and evaluations.
 * Every row is checked before anything is computed; a bad row is a 400 naming it. Each use case of the API
 * acts for the current caller's tenant: another tenant's model is a 404, from the cache too.
 */
@Service
public class ModelService {

    private static final int MAX_REPORTED_ERRORS = 20;

    private final ModelRepository repository;
    private final StoredTables tables;
    private final CsvReader.Limits csvLimits;
    private final Map<UUID, Loaded> cache;
    private final Timer predictTimer;
    private final Quotas quotas;
    private final Audit audit;

    /**
     * A cached model with its owner, checked on every hit, and what every predict asks of its pipeline, found once:
     * whether every feature is numeric and whether the pipeline is the identity (each question walks every step, 784
     * for T4, and took a tenth of a single-row request's samples when asked per request).
     */
    private record Loaded(String owner, TrainedModel model, boolean numeric, boolean identity) {
        Loaded(String owner, TrainedModel model) {
            this(owner, model, model.pipeline().firstCategoricalColumn() == null, model.pipeline().isIdentity());
        }
    }

    ModelService(ModelRepository repository, StoredTables tables, BackpropProperties properties, MeterRegistry meters, Quotas quotas,
                 Audit audit) {
        this.repository = repository;
        this.tables = tables;
        this.quotas = quotas;
        this.audit = audit;
        BackpropProperties.Limits limits = properties.limits();
        this.csvLimits = new CsvReader.Limits(limits.maxRows(), limits.maxColumns(), limits.maxFieldLength());
        int capacity = properties.models().cacheSize();
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Loaded> eldest) {
                return size() > capacity;
            }
        };
        this.predictTimer = Timer.builder("backprop.predict").description("Time to answer one predict request")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    /**
     * Stores a trained model, for the tenant of the job that trained it. Storing it again is a no-op: a retry after a
     * try whose commit the database could not confirm (every model has an id of its own, so only a retry collides).
     */
    public void store(TrainedModel model) {
        try {
            repository.insertTrained(ModelCodec.toDocument(model));
        } catch (org.springframework.dao.DuplicateKeyException e) {
            if (!repository.isStored(model.id())) {
                throw e;
            }
        }
    }

    /** A model's summary: schema, architecture, labels, metrics and provenance, without weights. */
    public ModelDocument summary(UUID id) {
        return repository.findSummary(id, Caller.current().tenant()).orElseThrow(() -> ApiException.notFound("model", id));
    }

    /** The whole stored document of a model, weights and provenance included: what {@link #importDocument} reads back. */
    public ModelDocument document(UUID id) {
        return repository.findDocument(id, Caller.current().tenant()).orElseThrow(() -> ApiException.notFound("model", id));
    }

    /**
     * Stores a model document downloaded from this or another Backprop under a new id, in the current
     * format; its job id and provenance are kept, since they say how the model was made.
     *
     * @throws ApiException a 400 naming each field at fault
     */
    public ModelDocument importDocument(ModelDocument document) {
        quotas.require(Quota.MODELS, 1);
        List<FieldError> faults = ModelDocumentCheck.faults(document);
        if (!faults.isEmpty()) {
            throw ApiException.validation(faults);
        }
        TrainedModel model;
        try {
            model = ModelCodec.fromDocument(document);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("body", e.getMessage());
        }
        TrainedModel imported = new TrainedModel(UUID.randomUUID(), model.jobId(), java.time.Instant.now(), model.task(),
                model.featureNames(), model.targetColumn(), model.pipeline(), model.labels(), model.network(), model.metrics(),
                model.provenance());
        ModelDocument stored = ModelCodec.toDocument(imported);
        quotas.admit(java.util.Map.of(Quota.MODELS, 1L), () -> {
            repository.insert(stored, Caller.current().tenant());
            return stored;
        });
        audit.record("created", "model", stored.id());
        return stored.summary();
    }

    /**
     * The model as ONNX bytes (see {@link OnnxExport} for the graph's inputs and outputs).
     *
     * @param precision the graph's reals, {@code float64} or {@code float32}; null for the precision the model was trained in
     */
    public byte[] onnx(UUID id, String precision) {
        TrainedModel model = load(id);
        if (precision == null) {
            return OnnxExport.of(model);
        }
        try {
            return OnnxExport.of(model, Precision.named(precision));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("precision", e.getMessage());
        }
    }

    /** A page of the summaries of the caller's models a filter lets through, newest first. */
    public List<ModelDocument> list(ModelFilter filter, int page, int size) {
        return repository.findSummaries(Caller.current().tenant(), filter, page, size);
    }

    public long count(ModelFilter filter) {
        return repository.count(Caller.current().tenant(), filter);
    }

    /**
     * The model a serving protocol names: an id, or else a name (its newest model). Every lookup by name
     * comes through here or {@link #newestNamed}, so one place can restrict what a caller sees.
     */
    public UUID resolve(String idOrName) {
        try {
            UUID id = UUID.fromString(idOrName);
            if (repository.findSummary(id, Caller.current().tenant()).isPresent()) {
                return id;
            }
        } catch (IllegalArgumentException notAnId) {
            // a name, then
        }
        return newestNamed(idOrName);
    }

    /**
     * The id of the caller's newest model of a name: training a model under the name of an older one makes the new
     * one what the name means, as a registry's latest version.
     */
    public UUID newestNamed(String name) {
        return repository.findNewestNamed(name, Caller.current().tenant()).orElseThrow(() -> ApiException.notFound("model named", "'" + name + "'"));
    }

    public void delete(UUID id) {
        if (!repository.delete(id, Caller.current().tenant())) {
            throw ApiException.notFound("model", id);
        }
        synchronized (cache) {
            cache.remove(id);
        }
        audit.record("deleted", "model", id);
    }

    /** Removes a model that its job stored and lost to a cancel: the runner's, whatever tenant owns it. */
    public void discard(UUID id) {
        repository.deleteTrained(id);
        synchronized (cache) {
            cache.remove(id);
        }
    }

    /** The loaded model, from the cache or the database. */
    public TrainedModel load(UUID id) {
        return loaded(id).model();
    }

    private Loaded loaded(UUID id) {
        String tenant = Caller.current().tenant();
        synchronized (cache) {
            Loaded cached = cache.get(id);
            if (cached != null) {
                if (!cached.owner().equals(tenant)) {
                    throw ApiException.notFound("model", id);
                }
                return cached;
            }
        }
        TrainedModel model = ModelCodec.fromDocument(repository.findDocument(id, tenant).orElseThrow(() -> ApiException.notFound("model", id)));
        Loaded loaded = new Loaded(tenant, model);
        synchronized (cache) {
            cache.put(id, loaded);
        }
        return loaded;
    }

    /** Predictions for rows sent as instances or records. */
    public Predictions predict(UUID id, ModelInput input, Double threshold) {
        TrainedModel model = load(id);
        checkThreshold(model, threshold);
        return predictTimer.record(() -> {
            Rows rows = rows(model, input);
            return answers(model, outputs(model, rows), rows.cells().size(), threshold);
        });
    }

    /**
     * Predictions for rows of a JSON body, read into columns as it arrived (exactly one of the two is not
     * null): checked as {@link #predict(UUID, ModelInput, Double)} checks instances and records, with the same
     * problems, then encoded from the columns' primitive arrays.
     */
    public Predictions predict(UUID id, InputColumns instances, InputColumns records, Double threshold) {
        TrainedModel model = load(id);
        checkThreshold(model, threshold);
        if ((instances == null) == (records == null)) {
            throw ApiException.invalid("body", "send exactly one of instances and records");
        }
        return predictTimer.record(() -> {
            InputColumns rows = instances != null ? instances : records;
            List<dev.backprop.data.Column> columns = columns(model, rows);
            double[] outputs;
            try {
                outputs = model.outputs(columns, rows.rowCount(), rows.named()
                        ? (r, f) -> "records[" + r + "]." + model.featureNames().get(f)
                        : (r, f) -> "instances[" + r + "][" + f + "]");
            } catch (DataException e) {
                throw ApiException.validation(e.problems().stream().map(p -> new FieldError(p.field(), p.message())).toList());
            }
            return answers(model, outputs, rows.rowCount(), threshold);
        });
    }

    /**
     * Predictions for instances already read into a row-major {@code rows × width} matrix of finite numbers (the
     * predict body's byte scan), or empty when this model needs the general path: a width other than its feature
     * count (whose 400 names each row) or a categorical feature (whose cells may be category names). An identity
     * pipeline's rows go to the network as they are; any other pipeline encodes them as it encodes columns.
     *
     * @param values the rows, row-major; may be longer than {@code rows × width}, and is only read during the call
     */
    public Optional<Predictions> predictRows(UUID id, double[] values, int rows, int width, Double threshold) {
        Loaded loaded = loaded(id);
        TrainedModel model = loaded.model();
        if (width != model.featureNames().size() || !loaded.numeric()) {
            return Optional.empty();
        }
        checkThreshold(model, threshold);
        requireRows("instances", rows);
        return Optional.of(predictTimer.record(() -> {
            if (loaded.identity()) {
                return answers(model, model.network().predict(values, rows), rows, threshold);
            }
            List<dev.backprop.data.Column> columns = new ArrayList<>(width);
            for (int f = 0; f < width; f++) {
                double[] column = new double[rows];
                for (int r = 0; r < rows; r++) {
                    column[r] = values[r * width + f];
                }
                columns.add(new dev.backprop.data.Column.Doubles(column));
            }
            try {
                return answers(model, model.outputs(columns, rows, (r, f) -> "instances[" + r + "][" + f + "]"), rows, threshold);
            } catch (DataException e) {
                throw ApiException.validation(e.problems().stream().map(p -> new FieldError(p.field(), p.message())).toList());
            }
        }));
    }

    /** The model's feature columns from rows read by position or by name, after checking their widths or names. */
    private static List<dev.backprop.data.Column> columns(TrainedModel model, InputColumns rows) {
        List<String> names = model.featureNames();
        int width = names.size();
        List<FieldError> errors = new ArrayList<>();
        requireRows(rows.named() ? "records" : "instances", rows.rowCount());
        int[] sources = new int[width];
        if (rows.named()) {
            List<Integer> unknown = new ArrayList<>();
            java.util.Set<String> known = new java.util.HashSet<>(names);
            known.add(model.targetColumn());
            for (int c = 0; c < rows.columnCount(); c++) {
                if (!known.contains(rows.names().get(c))) {
                    unknown.add(c);
                }
            }
            for (int r = 0; r < rows.rowCount() && !unknown.isEmpty() && errors.size() < MAX_REPORTED_ERRORS; r++) {
                for (int c : unknown) {
                    if (rows.isPresent(c, r)) {
                        errors.add(new FieldError("records[" + r + "]." + rows.names().get(c), "unknown column; the model reads " + names));
                    }
                }
            }
            for (int f = 0; f < width; f++) {
                sources[f] = rows.indexOf(names.get(f));
            }
        } else {
            for (int r = 0; r < rows.rowCount() && errors.size() < MAX_REPORTED_ERRORS; r++) {
                if (rows.rowLength(r) != width) {
                    errors.add(new FieldError("instances[" + r + "]", "has " + rows.rowLength(r) + " values; the model reads "
                            + width + " features " + names));
                }
            }
            for (int f = 0; f < width; f++) {
                sources[f] = f;
            }
        }
        throwIfAny(errors);
        List<dev.backprop.data.Column> columns = new ArrayList<>(width);
        List<FeaturePipeline.ColumnStep> steps = model.pipeline().steps();
        for (int f = 0; f < width; f++) {
            columns.add(rows.column(sources[f], steps.get(f) instanceof FeaturePipeline.CategoricalStep));
        }
        return columns;
    }

    /**
     * Predictions for rows sent as little-endian float32 values, one per feature in the model's feature
     * order and NaN for a missing value: the binary body for clients that send many rows, which costs
     * no number parsing (a 64-row JSON body of a 784-feature model is 50,176 decimal numbers to parse).
     */
    public Predictions predictFloat32(UUID id, byte[] body, Double threshold) {
        Loaded loaded = loaded(id);
        TrainedModel model = loaded.model();
        checkThreshold(model, threshold);
        if (!loaded.numeric()) {
            String categorical = model.pipeline().firstCategoricalColumn();
            throw ApiException.invalid("body", "model " + id + " reads the categorical feature '" + categorical
                    + "', which float32 values cannot carry; send JSON instances or records");
        }
        int width = model.featureNames().size();
        int rowBytes = width * Float.BYTES;
        if (body.length == 0 || body.length % rowBytes != 0) {
            throw ApiException.invalid("body", "has " + body.length + " bytes; a row of the model's " + width
                    + " features is " + rowBytes + " bytes of little-endian float32, so the body must be a positive multiple of "
                    + rowBytes);
        }
        int count = body.length / rowBytes;
        return predictTimer.record(() -> {
            Network network = model.network();
            if (loaded.identity()) {
                // Nothing to encode: the values go in as they came once one pass has decoded and checked them, as
                // float32 where the network's first product reads float32.
                if (network.spec().precision() == Precision.FLOAT32) {
                    float[] values = BodyBuffers.floats(count * width);
                    if (PackedArrays.littleEndianFloats(body, values)) {
                        return answers(model, network.predict(values, count), count, threshold);
                    }
                } else {
                    double[] values = BodyBuffers.doubles(count * width);
                    if (PackedArrays.littleEndianFloats(body, values)) {
                        return answers(model, network.predict(values, count), count, threshold);
                    }
                }
            }
            // A value to impute or reject, or a pipeline that scales: the pipeline's encoding, with its problems.
            float[] values = PackedArrays.littleEndianFloats(body);
            double[] features;
            try {
                features = model.pipeline().transformNumeric(values, count, (r, f) -> "body[" + r + "][" + f + "]");
            } catch (DataException e) {
                throw ApiException.validation(e.problems().stream().map(p -> new FieldError(p.field(), p.message())).toList());
            }
            return answers(model, network.predict(features, count), count, threshold);
        });
    }

    /**
     * A request thread's decoded float32 body, reused by its next request of the same length: a 64-row body of the T4
     * network is 200 KB of floats or 400 KB of doubles, allocated and zeroed per request otherwise. The network reads
     * them only during its call, and the answers hold none of them. Bodies beyond {@link #POOLED_VALUES} get their own.
     */
    private static final class BodyBuffers {
        private static final int POOLED_VALUES = 1 << 17;
        private static final ThreadLocal<float[]> FLOATS = new ThreadLocal<>();
        private static final ThreadLocal<double[]> DOUBLES = new ThreadLocal<>();

        static float[] floats(int length) {
            return reused(FLOATS, length, float[]::new, values -> values.length);
        }

        static double[] doubles(int length) {
            return reused(DOUBLES, length, double[]::new, values -> values.length);
        }

        private static <T> T reused(ThreadLocal<T> pool, int length, java.util.function.IntFunction<T> allocate,
                                    java.util.function.ToIntFunction<T> lengthOf) {
            T values = pool.get();
            if (values == null || lengthOf.applyAsInt(values) != length) {
                values = allocate.apply(length);
                if (length <= POOLED_VALUES) {
                    pool.set(values);
                }
            }
            return values;
        }
    }

    /**
     * A threshold moves a two-class model's decision (the second class at or above it), as scikit-learn's
     * {@code predict_proba(X)[:, 1] >= t}; any other model has no one probability to cut.
     */
    private static void checkThreshold(TrainedModel model, Double threshold) {
        if (threshold == null) {
            return;
        }
        if (model.labels() == null || model.labels().size() != 2) {
            throw ApiException.invalid("threshold", "applies to a classifier of two classes; this model "
                    + (model.labels() == null ? "is a regression" : "has " + model.labels().size() + " classes"));
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw ApiException.invalid("threshold", "must be a probability from 0 to 1, got " + threshold);
        }
    }

    private static Predictions answers(TrainedModel model, double[] outputs, int count, Double threshold) {
        List<Predictions.Row> answers = new ArrayList<>(count);
        if (model.task() == Task.REGRESSION) {
            for (int r = 0; r < count; r++) {
                answers.add(new Predictions.Row(null, null, outputs[r]));
            }
            return new Predictions(null, answers);
        }
        double[] probabilities = model.classProbabilities(outputs, count);
        int classes = model.labels().size();
        for (int r = 0; r < count; r++) {
            double[] row = new double[classes];
            System.arraycopy(probabilities, r * classes, row, 0, classes);
            int predicted = threshold == null ? model.predictedClass(probabilities, r) : row[1] >= threshold ? 1 : 0;
            answers.add(new Predictions.Row(model.labels().labels().get(predicted), row, null));
        }
        return new Predictions(model.labels().labels(), answers);
    }

    /** The full metric set of the model on labelled rows. */
    public MetricsReport evaluate(UUID id, ModelInput input) {
        TrainedModel model = load(id);
        Rows rows = rows(model, input);
        int count = rows.cells().size();
        List<Object> targets = targets(model, input);
        double[] outputs = outputs(model, rows);
        int outputUnits = model.network().spec().outputUnits();
        MetricsReport report = MetricsReport.of(Metrics.evaluate(model.task(), outputs, encoded(model, targets), count, outputUnits),
                model.labels() == null ? null : model.labels().labels(), count);
        if (model.labels() == null) {
            return outputUnits == 1 ? report.withResiduals(outputs, encoded(model, targets)) : report;
        }
        double[] probabilities = model.classProbabilities(outputs, count);
        if (model.labels().size() > 2) {
            int[] actual = targets.stream().mapToInt(model.labels()::indexOf).toArray();
            return report.withClassCurves(Curves.oneVsRest(probabilities, actual, model.labels().labels()));
        }
        double[] scores = new double[count];
        boolean[] positive = new boolean[count];
        for (int r = 0; r < count; r++) {
            scores[r] = probabilities[2 * r + 1];
            positive[r] = model.labels().indexOf(targets.get(r)) == 1;
        }
        return report.withCurves(Curves.of(scores, positive));
    }

    /** Targets as the engine's metrics read them: one-hot (or 0/1) classes, or values. */
    static double[] encoded(TrainedModel model, List<Object> targets) {
        if (model.task() == Task.CLASSIFICATION) {
            return model.labels().encode(targets, model.network().spec().outputUnits());
        }
        return targets.stream().mapToDouble(t -> ((Number) t).doubleValue()).toArray();
    }

    /**
     * The rows of a stored data set as records, for evaluating or explaining a model on it.
     *
     * @throws ApiException a 404 when there is no such model or data set, a 400 when it lacks a column the model reads
     */
    public ModelInput storedRows(UUID id, UUID datasetId) {
        TrainedModel model = load(id);
        Table table = tables.find(datasetId).orElseThrow(() -> ApiException.notFound("dataset", datasetId));
        List<String> columns = new ArrayList<>(model.featureNames());
        columns.add(model.targetColumn());
        return columnsOf(model, table, columns, "datasetId", "data set " + datasetId);
    }

    /**
     * The rows of a CSV body as records of the model's features, read with an upload's limits; its other
     * columns, such as the target, are left out.
     *
     * @throws ApiException a 400 naming a bad row, or a feature the header lacks
     */
    public ModelInput csvRows(UUID id, java.io.InputStream csv) {
        Table table;
        try {
            table = CsvReader.read(csv, csvLimits);
        } catch (DataException e) {
            throw ApiException.validation(e.problems().stream().map(p -> new FieldError(p.field(), p.message())).toList());
        }
        return featureRecords(id, table);
    }

    /** A table's rows as records of the model's features. */
    private ModelInput featureRecords(UUID id, Table table) {
        TrainedModel model = load(id);
        return columnsOf(model, table, model.featureNames(), "body", "the CSV header");
    }

    private static ModelInput columnsOf(TrainedModel model, Table table, List<String> columns, String field, String source) {
        List<FieldError> missing = columns.stream().filter(c -> table.indexOf(c) < 0)
                .map(c -> new FieldError(field, source + " has no column '" + c + "'; the model reads " + model.featureNames()
                        + (columns.contains(model.targetColumn()) ? " and the target '" + model.targetColumn() + "'" : "")))
                .toList();
        throwIfAny(missing);
        // Only the model's columns: a table often holds more (an id, other targets) than a model reads.
        return ModelInput.records(table, columns);
    }

    /**
     * Permutation feature importance of a model on labelled rows (see {@link PermutationImportance}).
     *
     * @throws ApiException a 400 naming a bad row, target or setting
     */
    public PermutationImportance.Result importance(UUID id, ModelInput input, int repeats, long seed) {
        TrainedModel model = load(id);
        Rows rows = rows(model, input);
        List<Object> targets = targets(model, input);
        outputs(model, rows);
        return PermutationImportance.of(model, rows.cells(), encoded(model, targets), repeats, seed);
    }

    /** Raw feature cells in the model's feature order, and how to name a cell in an error. */
    private record Rows(List<List<Object>> cells, java.util.function.BiFunction<Integer, Integer, String> field) {
    }

    private static double[] outputs(TrainedModel model, Rows rows) {
        try {
            return model.outputs(rows.cells(), rows.field());
        } catch (DataException e) {
            throw ApiException.validation(e.problems().stream().map(p -> new FieldError(p.field(), p.message())).toList());
        }
    }

    /** Checks the shape of input rows and puts their cells in the model's feature order. */
    private Rows rows(TrainedModel model, ModelInput input) {
        List<String> names = model.featureNames();
        int width = names.size();
        List<FieldError> errors = new ArrayList<>();
        if ((input.instances() == null) == (input.records() == null)) {
            throw ApiException.invalid("body", "send exactly one of instances and records");
        }
        if (input.instances() != null) {
            List<List<Object>> instances = input.instances();
            requireRows("instances", instances.size());
            for (int r = 0; r < instances.size() && errors.size() < MAX_REPORTED_ERRORS; r++) {
                List<Object> row = instances.get(r);
                if (row == null || row.size() != width) {
                    errors.add(new FieldError("instances[" + r + "]", "has " + (row == null ? 0 : row.size())
                            + " values; the model reads " + width + " features " + names));
                }
            }
            throwIfAny(errors);
            return new Rows(instances, (r, f) -> "instances[" + r + "][" + f + "]");
        }
        List<Map<String, Object>> records = input.records();
        requireRows("records", records.size());
        List<List<Object>> cells = new ArrayList<>(records.size());
        for (int r = 0; r < records.size() && errors.size() < MAX_REPORTED_ERRORS; r++) {
            Map<String, Object> record = records.get(r);
            for (String key : record.keySet()) {
                if (!names.contains(key) && !key.equals(model.targetColumn())) {
                    errors.add(new FieldError("records[" + r + "]." + key, "unknown column; the model reads " + names));
                }
            }
            List<Object> row = new ArrayList<>(width);
            for (String name : names) {
                row.add(record.get(name));
            }
            cells.add(row);
        }
        throwIfAny(errors);
        return new Rows(cells, (r, f) -> "records[" + r + "]." + names.get(f));
    }

    private List<Object> targets(TrainedModel model, ModelInput input) {
        List<Object> targets = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        if (input.instances() != null) {
            if (input.targets() == null || input.targets().size() != input.instances().size()) {
                throw ApiException.invalid("targets", "needs one target per instance (" + input.instances().size() + ")");
            }
            for (int r = 0; r < input.targets().size(); r++) {
                checkTarget(model, input.targets().get(r), "targets[" + r + "]", errors);
                targets.add(input.targets().get(r));
            }
        } else {
            for (int r = 0; r < input.records().size(); r++) {
                Object target = input.records().get(r).get(model.targetColumn());
                String field = "records[" + r + "]." + model.targetColumn();
                if (target == null) {
                    errors.add(new FieldError(field, "evaluation needs the target column '" + model.targetColumn() + "'"));
                } else {
                    checkTarget(model, target, field, errors);
                }
                targets.add(target);
            }
        }
        throwIfAny(errors);
        return targets;
    }

    private static void checkTarget(TrainedModel model, Object target, String field, List<FieldError> errors) {
        if (errors.size() >= MAX_REPORTED_ERRORS) {
            return;
        }
        if (model.task() == Task.CLASSIFICATION && model.labels().indexOf(target) < 0) {
            errors.add(new FieldError(field, "unknown class " + FeatureMatrix.describe(target) + "; the model knows "
                    + model.labels().labels()));
        } else if (model.task() == Task.REGRESSION && !(target instanceof Number)) {
            errors.add(new FieldError(field, "needs a number, got " + FeatureMatrix.describe(target)));
        }
    }

    private static void requireRows(String field, int rows) {
        if (rows == 0) {
            throw ApiException.invalid(field, "must hold at least one row");
        }
    }

    private static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
    }
}
