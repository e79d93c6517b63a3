package dev.backprop.training;

import dev.backprop.data.ClassLabels;
import dev.backprop.data.ColumnSelection;
import dev.backprop.data.DataException;
import dev.backprop.data.FeatureMatrix;
import dev.backprop.data.FeaturePipeline;
import dev.backprop.data.TaskInference;
import dev.backprop.training.TrainingJobSpec.EarlyStoppingConfig;
import dev.backprop.training.TrainingJobSpec.HiddenLayerConfig;
import dev.backprop.training.TrainingJobSpec.NetworkConfig;
import dev.backprop.training.TrainingJobSpec.ScheduleConfig;
import dev.backprop.training.TrainingJobSpec.TrainingConfig;
import dev.backprop.nn.Activation;
import dev.backprop.nn.EarlyStoppingSpec;
import dev.backprop.nn.Initializer;
import dev.backprop.nn.LabeledData;
import dev.backprop.nn.LayerSpec;
import dev.backprop.nn.LearningRateScheduleSpec;
import dev.backprop.nn.Loss;
import dev.backprop.nn.Monitor;
import dev.backprop.nn.NetworkSpec;
import dev.backprop.nn.Precision;
import dev.backprop.nn.OptimizerSpec;
import dev.backprop.nn.Splits;
import dev.backprop.nn.Task;
import dev.backprop.nn.TrainingSpec;
import dev.backprop.platform.ApiException;
import dev.backprop.platform.ApiException.FieldError;
import dev.backprop.platform.BackpropProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Turns a submitted training request into a resolved job (every default filled, every field
 * checked, the caps enforced) and a resolved job into a {@link TrainingPlan}. Every problem found is
 * reported at once as a 400 listing the fields at fault.
 */
@Component
public class JobSpecResolver {

    /** Validation fraction used when absent, from {@link #DEFAULT_VALIDATION_MIN_ROWS} rows on. */
    static final double DEFAULT_VALIDATION_FRACTION = 0.2;
    static final int DEFAULT_VALIDATION_MIN_ROWS = 20;
    static final int DEFAULT_EPOCHS = 100;
    static final int DEFAULT_PATIENCE = 10;
    /** Mixed into the seed of the validation split's stream. */
    private static final long SPLIT_STREAM = 0x5DEECE66DL;

    private final BackpropProperties.Limits limits;

    public JobSpecResolver(BackpropProperties properties) {
        this.limits = properties.limits();
    }

    /**
     * Validates {@code spec} against {@code data} and fills every default.
     *
     * @throws ApiException a validation problem listing every field at fault
     */
    public ResolvedTrainingJob resolve(TrainingJobSpec spec, TrainingData data) {
        return new Resolution(spec, data).resolve();
    }

    /**
     * Validates a request and builds its run in one pass, as a search trial does (split with
     * {@code splitSeed}, so that every trial validates on the same rows).
     *
     * @throws ApiException a validation problem listing every field at fault
     */
    public TrainingPlan resolveAndPlan(TrainingJobSpec spec, TrainingData data, long splitSeed) {
        Resolution resolution = new Resolution(spec, data);
        resolution.splitSeed = splitSeed;
        resolution.resolve();
        return resolution.plan();
    }

    /** Builds the run of a resolved job: the same data always gives the same split and statistics. */
    public TrainingPlan plan(ResolvedTrainingJob job, TrainingData data) {
        return plan(job, data, job.spec().training().seed());
    }

    /** Builds the run of a resolved job whose holdout split is drawn with {@code splitSeed}. */
    private TrainingPlan plan(ResolvedTrainingJob job, TrainingData data, long splitSeed) {
        return resolveAndPlan(job.spec(), data, splitSeed);
    }

    /** Builds the run of one cross-validation fold: rows of {@code fold} validate, the others train. */
    public TrainingPlan planFold(ResolvedTrainingJob job, TrainingData data, int[] foldOfRow, int fold) {
        Resolution resolution = new Resolution(job.spec(), data);
        resolution.foldOfRow = foldOfRow;
        resolution.fold = fold;
        resolution.resolve();
        return resolution.plan();
    }

    /** The encoded targets of a job's rows (in one-column placeholder features), for fold assignment. */
    public LabeledData encoded(ResolvedTrainingJob job, TrainingData data) {
        Resolution resolution = new Resolution(job.spec(), data);
        resolution.resolve();
        return resolution.targetsOnly;
    }

    /** One resolution, collecting errors as it goes. */
    private final class Resolution {
        private final TrainingJobSpec spec;
        private final TrainingData data;
        private final List<FieldError> errors = new ArrayList<>();
        private FeatureMatrix matrix;
        private ClassLabels labels;
        private Task task;
        private boolean taskInferred;
        private NetworkSpec networkSpec;
        private TrainingSpec trainingSpec;
        private TrainingJobSpec resolved;
        private long seed;
        private double validationFraction;
        private String validationSplit;
        private FeaturePipeline pipeline;
        private Splits.Split split;
        private LabeledData all;
        private LabeledData targetsOnly;
        private SplittableRandom random;
        private Long splitSeed;
        private int[] foldOfRow;
        private int fold;

        Resolution(TrainingJobSpec spec, TrainingData data) {
            this.spec = spec;
            this.data = data;
        }

        ResolvedTrainingJob resolve() {
            NetworkConfig network = spec.network() != null ? spec.network()
                    : new NetworkConfig(List.of(), null, null, null, null, null);
            TrainingConfig training = spec.training() != null ? spec.training() : emptyTraining();
            readData();
            if (matrix != null && matrix.rows() > limits.maxRows()) {
                error("data.rows", "holds " + matrix.rows() + " rows; the limit is " + limits.maxRows());
            }
            resolveTask(network, training);
            if (!errors.isEmpty()) {
                throw ApiException.validation(errors);
            }
            NetworkConfig resolvedNetwork = resolveNetwork(network);
            TrainingConfig resolvedTraining = resolveTraining(training);
            if (!errors.isEmpty()) {
                throw ApiException.validation(errors);
            }
            buildEngineSpecs(resolvedNetwork, resolvedTraining);
            if (!errors.isEmpty()) {
                throw ApiException.validation(errors);
            }
            resolved = new TrainingJobSpec(spec.name(), task.wireName(), resolvedNetwork, resolvedTraining);
            DataSummary summary = new DataSummary(matrix.rows(), matrix.names(), data.targetColumn(),
                    labels == null ? null : labels.labels(), split == null ? matrix.rows() : split.training().rows(),
                    split == null ? 0 : split.validation().rows());
            return new ResolvedTrainingJob(resolved, task.wireName(), taskInferred, summary, networkSpec.parameterCount());
        }

        TrainingPlan plan() {
            LabeledData trainingData = split == null ? all : split.training();
            LabeledData validation = split == null ? null : split.validation();
            return new TrainingPlan(networkSpec, trainingSpec, task, random, trainingData, validation, labels, pipeline,
                    matrix.names(), data.targetColumn());
        }

        private void readData() {
            try {
                ColumnSelection selection = ColumnSelection.resolve(data.table(), data.targetColumn(), data.featureColumns());
                boolean dropMissing = spec.training() != null && "drop".equals(spec.training().imputation());
                matrix = FeatureMatrix.extract(data.table(), selection, dropMissing);
                matrix.mixedColumns((r, f) -> "data.rows[" + matrix.tableRows()[r] + "]["
                        + data.table().indexOf(matrix.names().get(f)) + "]").forEach(p -> error(p.field(), p.message()));
            } catch (DataException e) {
                e.problems().forEach(p -> error(p.field(), p.message()));
            }
        }

        private void resolveTask(NetworkConfig network, TrainingConfig training) {
            if (spec.task() != null) {
                switch (spec.task()) {
                    case "classification" -> task = Task.CLASSIFICATION;
                    case "regression" -> task = Task.REGRESSION;
                    default -> error("task", "must be classification or regression, was '" + spec.task() + "'");
                }
            }
            if (task == null && spec.task() == null) {
                taskInferred = true;
                if ("binary_crossentropy".equals(training.loss()) || "categorical_crossentropy".equals(training.loss())
                        || "softmax".equals(network.outputActivation())) {
                    task = Task.CLASSIFICATION;
                } else if ("linear".equals(network.outputActivation())) {
                    task = Task.REGRESSION;
                } else if (matrix != null) {
                    task = TaskInference.fromTargets(matrix.targets());
                }
            }
            if (task == null || matrix == null) {
                return;
            }
            if (task == Task.CLASSIFICATION) {
                labels = ClassLabels.of(matrix.targets());
                if (labels.size() < 2) {
                    error("data.targetColumn", "the target holds a single class " + labels.labels() + "; classification needs two or more");
                }
            } else {
                List<Object> targets = matrix.targets();
                for (int r = 0; r < targets.size(); r++) {
                    if (!(targets.get(r) instanceof Number) && errors.size() < DataException.MAX_PROBLEMS) {
                        error("data.rows[" + r + "][" + data.table().indexOf(data.targetColumn()) + "]",
                                "regression needs a numeric target, got " + FeatureMatrix.describe(targets.get(r)));
                    }
                }
            }
        }

        private NetworkConfig resolveNetwork(NetworkConfig network) {
            List<HiddenLayerConfig> hidden = network.hiddenLayers() == null ? List.of() : network.hiddenLayers();
            if (hidden.size() > limits.maxHiddenLayers()) {
                error("network.hiddenLayers", "has " + hidden.size() + " layers; the limit is " + limits.maxHiddenLayers());
            }
            List<HiddenLayerConfig> resolvedLayers = new ArrayList<>();
            for (int i = 0; i < hidden.size(); i++) {
                HiddenLayerConfig layer = hidden.get(i);
                String field = "network.hiddenLayers[" + i + "]";
                if (layer == null) {
                    error(field, "must not be null");
                    continue;
                }
                if (layer.units() == null) {
                    error(field + ".units", "is required");
                } else if (layer.units() < 1) {
                    error(field + ".units", "must be at least 1, was " + layer.units());
                } else if (layer.units() > limits.maxUnitsPerLayer()) {
                    error(field + ".units", "is " + layer.units() + "; the limit is " + limits.maxUnitsPerLayer());
                }
                String activation = layer.activation() != null ? layer.activation() : "relu";
                Activation parsed = parse(field + ".activation", () -> Activation.named(activation));
                if (parsed != null && parsed.kind() == Activation.Kind.SOFTMAX) {
                    error(field + ".activation", "softmax is only allowed on the output layer");
                }
                double dropout = layer.dropout() != null ? layer.dropout() : 0;
                if (!(dropout >= 0 && dropout < 1)) {
                    error(field + ".dropout", "must be in [0, 1), was " + dropout);
                }
                Double alpha = layer.alpha();
                if (alpha == null && parsed != null && (parsed.kind() == Activation.Kind.LEAKY_RELU || parsed.kind() == Activation.Kind.ELU)) {
                    alpha = parsed.alpha();
                }
                if (alpha != null && !(alpha >= 0 && Double.isFinite(alpha))) {
                    error(field + ".alpha", "must be finite and >= 0, was " + alpha);
                }
                resolvedLayers.add(new HiddenLayerConfig(layer.units(), activation, dropout, alpha));
            }

            int classes = labels == null ? 0 : labels.size();
            String outputActivation = network.outputActivation() != null ? network.outputActivation()
                    : task == Task.REGRESSION ? "linear" : classes > 2 ? "softmax" : "sigmoid";
            Activation output = parse("network.outputActivation", () -> Activation.named(outputActivation));
            Integer outputUnits = network.outputUnits();
            if (outputUnits == null) {
                outputUnits = task == Task.REGRESSION ? 1
                        : output != null && output.kind() == Activation.Kind.SOFTMAX ? classes : classes > 2 ? classes : 1;
            }
            if (task == Task.CLASSIFICATION) {
                int expected = classes == 2 && (output == null || output.kind() != Activation.Kind.SOFTMAX) ? 1 : classes;
                if (outputUnits != expected) {
                    error("network.outputUnits", "is " + outputUnits + " but " + classes + " classes with a "
                            + (output == null ? "?" : output.wireName()) + " output need " + expected);
                }
                if (classes > 2 && output != null && output.kind() != Activation.Kind.SOFTMAX) {
                    error("network.outputActivation", "is " + output.wireName() + " but the target has " + classes
                            + " classes; use softmax");
                }
            } else if (outputUnits != 1) {
                error("network.outputUnits", "regression predicts one value, so it must be 1, was " + outputUnits);
            }
            if (output != null && output.kind() == Activation.Kind.SOFTMAX && task == Task.REGRESSION) {
                error("network.outputActivation", "softmax outputs class probabilities; regression needs linear (or another element-wise activation)");
            }
            Initializer initializer = null;
            if (network.initializer() != null) {
                initializer = parse("network.initializer", () -> Initializer.named(network.initializer()));
            }
            Double scale = network.initializerScale();
            if (initializer != null && initializer.kind() == Initializer.Kind.NORMAL && scale == null) {
                scale = Initializer.DEFAULT_NORMAL_SCALE;
            }
            if (scale != null && !(scale > 0 && Double.isFinite(scale))) {
                error("network.initializerScale", "must be a positive finite number, was " + scale);
            }
            String precision = network.precision() != null ? network.precision() : Precision.FLOAT64.wireName();
            parse("network.precision", () -> Precision.named(precision));
            return new NetworkConfig(resolvedLayers, outputActivation, outputUnits, network.initializer(), scale, precision);
        }

        private TrainingConfig resolveTraining(TrainingConfig t) {
            String outputActivation = spec.network() == null || spec.network().outputActivation() == null ? null
                    : spec.network().outputActivation();
            int classes = labels == null ? 0 : labels.size();
            String defaultLoss = task == Task.REGRESSION ? "mse"
                    : "softmax".equals(outputActivation) || (outputActivation == null && classes > 2) ? "categorical_crossentropy"
                    : "sigmoid".equals(outputActivation) || outputActivation == null ? "binary_crossentropy" : "mse";
            String loss = t.loss() != null ? t.loss() : defaultLoss;
            parse("training.loss", () -> Loss.named(loss));
            String optimizer = t.optimizer() != null ? t.optimizer() : "adam";
            if (!List.of("sgd", "momentum", "rmsprop", "adam").contains(optimizer)) {
                error("training.optimizer", "unknown optimizer '" + optimizer + "'; expected one of sgd, momentum, rmsprop, adam");
            }
            double learningRate = t.learningRate() != null ? t.learningRate()
                    : optimizer.equals("sgd") || optimizer.equals("momentum") ? 0.01 : 0.001;
            Double momentum = optimizer.equals("momentum") ? orDefault(t.momentum(), OptimizerSpec.Momentum.DEFAULT_MOMENTUM) : t.momentum();
            Boolean nesterov = optimizer.equals("momentum") ? orDefault(t.nesterov(), false) : t.nesterov();
            Double beta1 = optimizer.equals("adam") ? orDefault(t.beta1(), OptimizerSpec.Adam.DEFAULT_BETA1) : t.beta1();
            Double beta2 = optimizer.equals("adam") ? orDefault(t.beta2(), OptimizerSpec.Adam.DEFAULT_BETA2) : t.beta2();
            Double rho = optimizer.equals("rmsprop") ? orDefault(t.rho(), OptimizerSpec.RmsProp.DEFAULT_RHO) : t.rho();
            Double epsilon = optimizer.equals("adam") ? orDefault(t.epsilon(), OptimizerSpec.Adam.DEFAULT_EPSILON)
                    : optimizer.equals("rmsprop") ? orDefault(t.epsilon(), OptimizerSpec.RmsProp.DEFAULT_EPSILON) : t.epsilon();
            for (String unused : unusedOptimizerSettings(optimizer, t)) {
                error("training." + unused, "does not apply to optimizer " + optimizer);
            }

            int epochs = t.epochs() != null ? t.epochs() : DEFAULT_EPOCHS;
            if (epochs < 1) {
                error("training.epochs", "must be at least 1, was " + epochs);
            } else if (epochs > limits.maxEpochs()) {
                error("training.epochs", "is " + epochs + "; the limit is " + limits.maxEpochs());
            }
            if (t.batchSize() != null && t.batchSize() < 1) {
                error("training.batchSize", "must be at least 1 (or absent for full batch), was " + t.batchSize());
            }
            double l1 = t.l1() != null ? t.l1() : 0;
            double l2 = t.l2() != null ? t.l2() : 0;
            long seed = t.seed() != null ? t.seed() : ThreadLocalRandom.current().nextLong(1L << 48);
            int rowCount = matrix.rows();
            double validation = t.validationFraction() != null ? t.validationFraction()
                    : rowCount >= DEFAULT_VALIDATION_MIN_ROWS ? DEFAULT_VALIDATION_FRACTION : 0;
            if (!(validation >= 0 && validation < 1)) {
                error("training.validationFraction", "must be in [0, 1), was " + validation);
            }
            String validationSplit = t.validationSplit() != null ? t.validationSplit()
                    : task == Task.CLASSIFICATION ? "stratified" : "random";
            if (!List.of("stratified", "random", "last").contains(validationSplit)) {
                error("training.validationSplit", "must be stratified, random or last, was '" + validationSplit + "'");
            } else if (validationSplit.equals("stratified") && task == Task.REGRESSION) {
                error("training.validationSplit", "stratified needs classes; use random or last for regression");
            }
            String scaling = orDefault(t.scaling(), "standardize");
            if (!List.of("standardize", "minmax", "none").contains(scaling)) {
                error("training.scaling", "must be standardize, minmax or none, was '" + scaling + "'");
            }
            String imputation = orDefault(t.imputation(), "mean");
            if (!List.of("mean", "median", "drop").contains(imputation)) {
                error("training.imputation", "must be mean, median or drop, was '" + imputation + "'");
            }
            String unknownCategories = orDefault(t.unknownCategories(), "ignore");
            if (!List.of("ignore", "reject").contains(unknownCategories)) {
                error("training.unknownCategories", "must be ignore or reject, was '" + unknownCategories + "'");
            }
            EarlyStoppingConfig earlyStopping = null;
            if (t.earlyStopping() != null) {
                EarlyStoppingConfig e = t.earlyStopping();
                earlyStopping = new EarlyStoppingConfig(e.monitor() != null ? e.monitor() : validation > 0 ? "val_loss" : "loss",
                        e.mode(), orDefault(e.patience(), DEFAULT_PATIENCE), orDefault(e.minDelta(), 0.0));
            }
            ScheduleConfig schedule = resolveSchedule(t.schedule(), validation > 0);
            if (t.clipNorm() != null && !(t.clipNorm() > 0 && Double.isFinite(t.clipNorm()))) {
                error("training.clipNorm", "must be a positive finite number, was " + t.clipNorm());
            }
            if (t.maxRuntimeSeconds() != null && t.maxRuntimeSeconds() < 1) {
                error("training.maxRuntimeSeconds", "must be at least 1, was " + t.maxRuntimeSeconds());
            }
            long trainingRows = Math.round(rowCount * (1 - Math.min(Math.max(validation, 0), 1)));
            if (epochs >= 1 && trainingRows * (long) epochs > limits.maxRowEpochs()) {
                error("training.epochs", "training rows × epochs = " + trainingRows + " × " + epochs + " exceeds the limit of "
                        + limits.maxRowEpochs());
            }
            this.seed = seed;
            this.validationFraction = validation;
            this.validationSplit = validationSplit;
            return new TrainingConfig(loss, optimizer, learningRate, momentum, nesterov, beta1, beta2, rho, epsilon, epochs,
                    t.batchSize(), l1, l2, seed, validation, validationSplit, scaling, imputation, unknownCategories, earlyStopping, schedule, t.clipNorm(),
                    t.maxRuntimeSeconds());
        }

        private List<String> unusedOptimizerSettings(String optimizer, TrainingConfig t) {
            List<String> unused = new ArrayList<>();
            if (!optimizer.equals("momentum") && t.momentum() != null) {
                unused.add("momentum");
            }
            if (!optimizer.equals("momentum") && t.nesterov() != null) {
                unused.add("nesterov");
            }
            if (!optimizer.equals("adam") && t.beta1() != null) {
                unused.add("beta1");
            }
            if (!optimizer.equals("adam") && t.beta2() != null) {
                unused.add("beta2");
            }
            if (!optimizer.equals("rmsprop") && t.rho() != null) {
                unused.add("rho");
            }
            if ((optimizer.equals("sgd") || optimizer.equals("momentum")) && t.epsilon() != null) {
                unused.add("epsilon");
            }
            return unused;
        }

        private ScheduleConfig resolveSchedule(ScheduleConfig s, boolean hasValidation) {
            if (s == null || s.type() == null || s.type().equals("constant")) {
                if (s != null && s.type() == null) {
                    error("training.schedule.type", "is required: constant, step, exponential or reduce_on_plateau");
                }
                return new ScheduleConfig("constant", null, null, null, null, null, null, null);
            }
            return switch (s.type()) {
                case "step" -> new ScheduleConfig("step", orDefault(s.everyEpochs(), 10), orDefault(s.factor(), 0.5), null, null, null, null, null);
                case "exponential" -> new ScheduleConfig("exponential", null, null, orDefault(s.rate(), 0.95), null, null, null, null);
                case "reduce_on_plateau" -> new ScheduleConfig("reduce_on_plateau", null, orDefault(s.factor(), 0.5), null,
                        s.monitor() != null ? s.monitor() : hasValidation ? "val_loss" : "loss", orDefault(s.patience(), 5),
                        orDefault(s.minDelta(), 0.0), orDefault(s.minLearningRate(), 0.0));
                default -> {
                    error("training.schedule.type", "unknown schedule '" + s.type()
                            + "'; expected one of constant, step, exponential, reduce_on_plateau");
                    yield s;
                }
            };
        }

        private void buildEngineSpecs(NetworkConfig network, TrainingConfig t) {
            List<LayerSpec> layers = new ArrayList<>();
            for (HiddenLayerConfig layer : network.hiddenLayers()) {
                Activation activation = Activation.named(layer.activation());
                if (layer.alpha() != null) {
                    activation = new Activation(activation.kind(), layer.alpha());
                }
                layers.add(new LayerSpec(layer.units(), activation, layer.dropout()));
            }
            Initializer initializer = network.initializer() == null ? null
                    : Initializer.named(network.initializer()).kind() == Initializer.Kind.NORMAL
                    ? Initializer.normal(network.initializerScale()) : Initializer.named(network.initializer());
            if (!encodeFeatures(network.outputUnits(), t)) {
                return;
            }
            networkSpec = engine("network", () -> new NetworkSpec(pipeline.width(), layers, network.outputUnits(),
                    Activation.named(network.outputActivation()), initializer, Precision.named(network.precision())));
            if (networkSpec == null) {
                return;
            }
            Loss loss = Loss.named(t.loss());
            engine("training.loss", () -> {
                networkSpec.requireCompatible(loss);
                return loss;
            });
            if (networkSpec.parameterCount() > limits.maxParameters()) {
                error("network", "has " + networkSpec.parameterCount() + " parameters; the limit is " + limits.maxParameters());
            }
            OptimizerSpec optimizer = engine("training.learningRate", () -> switch (t.optimizer()) {
                case "sgd" -> new OptimizerSpec.Sgd(t.learningRate());
                case "momentum" -> new OptimizerSpec.Momentum(t.learningRate(), t.momentum(), t.nesterov());
                case "rmsprop" -> new OptimizerSpec.RmsProp(t.learningRate(), t.rho(), t.epsilon());
                default -> new OptimizerSpec.Adam(t.learningRate(), t.beta1(), t.beta2(), t.epsilon());
            });
            EarlyStoppingSpec earlyStopping = null;
            if (t.earlyStopping() != null) {
                EarlyStoppingConfig e = t.earlyStopping();
                Monitor monitor = parse("training.earlyStopping.monitor", () -> Monitor.named(e.monitor()));
                EarlyStoppingSpec.Mode mode = e.mode() == null ? null : parse("training.earlyStopping.mode", () -> mode(e.mode()));
                if (monitor != null && monitor.needsValidation() && validationFraction == 0) {
                    error("training.earlyStopping.monitor", monitor.wireName() + " needs a validationFraction above 0");
                }
                if (monitor != null) {
                    earlyStopping = engine("training.earlyStopping", () -> new EarlyStoppingSpec(monitor, mode, e.patience(), e.minDelta()));
                }
            }
            LearningRateScheduleSpec schedule = schedule(t.schedule());
            if (!errors.isEmpty() || optimizer == null) {
                return;
            }
            EarlyStoppingSpec stopping = earlyStopping;
            trainingSpec = engine("training", () -> new TrainingSpec(task, loss, optimizer, t.epochs(),
                    t.batchSize() == null ? 0 : t.batchSize(), t.l1(), t.l2(), schedule, stopping,
                    t.clipNorm() == null ? 0 : t.clipNorm(),
                    t.maxRuntimeSeconds() == null ? null : Duration.ofSeconds(t.maxRuntimeSeconds())));
        }

        /**
         * Splits the rows, fits the feature pipeline on the training rows only and encodes every row.
         *
         * @return false when an error was recorded
         */
        private boolean encodeFeatures(int outputUnits, TrainingConfig t) {
            int rows = matrix.rows();
            double[] targets = task == Task.CLASSIFICATION ? labels.encode(matrix.targets(), outputUnits)
                    : matrix.targets().stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
            targetsOnly = new LabeledData(new double[rows], targets, rows, 1, outputUnits);
            random = new SplittableRandom(seed);
            int[][] splitRows = null;
            if (foldOfRow != null) {
                splitRows = foldRows();
            } else if (validationFraction > 0) {
                // The split has its own stream, so that trials of a search can share it while their seeds differ.
                SplittableRandom splitRandom = new SplittableRandom((splitSeed != null ? splitSeed : seed) ^ SPLIT_STREAM);
                splitRows = engine("training.validationFraction", () -> validationSplit.equals("last")
                        ? Splits.lastRowIndices(rows, validationFraction)
                        : Splits.holdoutRows(targetsOnly, validationFraction, validationSplit.equals("stratified"), splitRandom));
                if (splitRows == null) {
                    return false;
                }
            }
            List<List<Object>> trainingCells = new ArrayList<>();
            for (int row : splitRows == null ? Splits.identity(rows) : splitRows[0]) {
                trainingCells.add(matrix.cells().get(row));
            }
            pipeline = FeaturePipeline.fit(matrix.names(), trainingCells,
                    new FeaturePipeline.Options(t.scaling(), t.imputation(), t.unknownCategories()));
            double[] features;
            try {
                features = pipeline.transform(matrix.cells(), (r, f) -> "data.rows[" + matrix.tableRows()[r] + "]["
                        + data.table().indexOf(matrix.names().get(f)) + "]");
            } catch (DataException e) {
                e.problems().forEach(p -> error(p.field(), p.message()));
                return false;
            }
            if (pipeline.width() == 0) {
                error("data.featureColumns", "the features encode to no inputs (every feature is missing in the training rows)");
                return false;
            }
            all = new LabeledData(features, targets, rows, pipeline.width(), outputUnits);
            if (splitRows != null) {
                split = new Splits.Split(all.subset(splitRows[0]), all.subset(splitRows[1]));
            }
            return true;
        }

        private int[][] foldRows() {
            List<Integer> training = new ArrayList<>();
            List<Integer> validation = new ArrayList<>();
            for (int row = 0; row < foldOfRow.length; row++) {
                (foldOfRow[row] == fold ? validation : training).add(row);
            }
            return new int[][]{training.stream().mapToInt(Integer::intValue).toArray(),
                    validation.stream().mapToInt(Integer::intValue).toArray()};
        }

        private LearningRateScheduleSpec schedule(ScheduleConfig s) {
            return engine("training.schedule", () -> switch (s.type()) {
                case "step" -> new LearningRateScheduleSpec.StepDecay(s.everyEpochs(), s.factor());
                case "exponential" -> new LearningRateScheduleSpec.ExponentialDecay(s.rate());
                case "reduce_on_plateau" -> {
                    Monitor monitor = Monitor.named(s.monitor());
                    if (monitor.needsValidation() && validationFraction == 0) {
                        throw new IllegalArgumentException("monitor " + monitor.wireName() + " needs a validationFraction above 0");
                    }
                    yield new LearningRateScheduleSpec.ReduceOnPlateau(monitor, s.factor(), s.patience(), s.minDelta(), s.minLearningRate());
                }
                default -> new LearningRateScheduleSpec.Constant();
            });
        }

        private EarlyStoppingSpec.Mode mode(String name) {
            return switch (name) {
                case "min" -> EarlyStoppingSpec.Mode.MIN;
                case "max" -> EarlyStoppingSpec.Mode.MAX;
                default -> throw new IllegalArgumentException("must be min or max, was '" + name + "'");
            };
        }

        /** Runs an engine constructor, turning its {@link IllegalArgumentException} into a field error. */
        private <T> T engine(String field, Supplier<T> build) {
            try {
                return build.get();
            } catch (IllegalArgumentException e) {
                error(field, e.getMessage());
                return null;
            }
        }

        private <T> T parse(String field, Supplier<T> parse) {
            return engine(field, parse);
        }

        private void error(String field, String message) {
            errors.add(new FieldError(field, message));
        }
    }

    private static TrainingConfig emptyTraining() {
        return new TrainingConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
    }

    private static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
