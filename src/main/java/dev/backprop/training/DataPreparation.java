package dev.backprop.training;

import dev.backprop.data.ClassLabels;
import dev.backprop.data.ColumnSelection;
import dev.backprop.data.DataException;
import dev.backprop.data.FeatureMatrix;
import dev.backprop.data.FeaturePipeline;
import dev.backprop.data.TaskInference;
import dev.backprop.nn.LabeledData;
import dev.backprop.nn.Splits;
import dev.backprop.nn.Task;
import dev.backprop.training.TrainingJobSpec.NetworkConfig;
import dev.backprop.training.TrainingJobSpec.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A request's data made ready for the engine, in two steps: {@link #read} selects the columns, settles
 * the task and the classes; {@link #encode} splits the rows, fits the feature pipeline on the training
 * rows only and encodes every row. Problems go to the request's {@link FieldErrors}, named by the cell.
 */
final class DataPreparation {

    /** Mixed into the seed of the validation split's stream. */
    private static final long SPLIT_STREAM = 0x5DEECE66DL;

    private final TrainingData data;
    private final FieldErrors errors;
    private FeatureMatrix matrix;
    private ClassLabels labels;
    private Task task;
    private boolean taskInferred;
    private String taskReason;
    private FeaturePipeline pipeline;
    private LabeledData trainingRows;
    private LabeledData validationRows;
    private int trainingRowCount;
    private int validationRowCount;
    private LabeledData targetsOnly;
    private SplittableRandom random;
    private TargetScaling targetScaling;

    private DataPreparation(TrainingData data, FieldErrors errors) {
        this.data = data;
        this.errors = errors;
    }

    /** Selects the columns and settles the task (given, or inferred from the request and the target) and the classes. */
    static DataPreparation read(TrainingJobSpec spec, TrainingData data, FieldErrors errors) {
        DataPreparation preparation = new DataPreparation(data, errors);
        TrainingConfig training = spec.training();
        preparation.readMatrix(training != null && training.imputation() == Imputation.DROP);
        preparation.resolveTask(spec);
        return preparation;
    }

    private void readMatrix(boolean dropMissing) {
        try {
            ColumnSelection selection = ColumnSelection.resolve(data.table(), data.targetColumn(), data.featureColumns());
            matrix = FeatureMatrix.extract(data.table(), selection, dropMissing);
            matrix.mixedColumns(this::cellField).forEach(p -> errors.add(p.field(), p.message()));
        } catch (DataException e) {
            e.problems().forEach(p -> errors.add(p.field(), p.message()));
        }
    }

    private void resolveTask(TrainingJobSpec spec) {
        if (spec.task() != null) {
            switch (spec.task()) {
                case "classification" -> task = Task.CLASSIFICATION;
                case "regression" -> task = Task.REGRESSION;
                default -> errors.add("task", "must be classification or regression, was '" + spec.task() + "'");
            }
        }
        if (task == null && spec.task() == null) {
            taskInferred = true;
            NetworkConfig network = spec.network();
            String loss = spec.training() == null ? null : spec.training().loss();
            String output = network == null ? null : network.outputActivation();
            if ("binary_crossentropy".equals(loss) || "categorical_crossentropy".equals(loss)) {
                task = Task.CLASSIFICATION;
                taskReason = "classification, because the loss " + loss + " is a classification loss";
            } else if ("softmax".equals(output)) {
                task = Task.CLASSIFICATION;
                taskReason = "classification, because the output activation is softmax";
            } else if ("linear".equals(output)) {
                task = Task.REGRESSION;
                taskReason = "regression, because the output activation is linear";
            } else if (matrix != null) {
                task = TaskInference.fromTargets(matrix.targets());
                taskReason = TaskInference.explain(matrix.targets());
            }
        }
        if (task == null || matrix == null) {
            return;
        }
        if (task == Task.CLASSIFICATION) {
            labels = ClassLabels.of(matrix.targets());
            if (labels.size() < 2) {
                errors.add("data.targetColumn", "the target holds a single class " + labels.labels() + "; classification needs two or more");
            }
        } else {
            List<Object> targets = matrix.targets();
            for (int r = 0; r < targets.size(); r++) {
                if (!(targets.get(r) instanceof Number) && errors.size() < DataException.MAX_PROBLEMS) {
                    errors.add("data.rows[" + r + "][" + data.table().indexOf(data.targetColumn()) + "]",
                            "regression needs a numeric target, got " + FeatureMatrix.describe(targets.get(r)));
                }
            }
        }
    }

    /**
     * Splits the rows (a cross-validation fold when {@code foldOfRow} is given, else a holdout of
     * {@code t.validationFraction()} drawn with {@code splitSeed}), fits the feature pipeline on the
     * training rows only and checks every row; with {@code encodeRows}, encodes the training and the validation
     * rows, each straight from the table's columns into its own matrix (no matrix of every row, no copy of it per
     * split). The run's random stream starts from the request's seed.
     *
     * @param folds a search's preparations kept across its trials, or null to prepare this run's own
     * @return false when an error was recorded
     */
    boolean encode(int outputUnits, TrainingConfig t, long splitSeed, int[] foldOfRow, int fold, boolean encodeRows,
                   PreparedFolds folds) {
        int rows = matrix.rows();
        double[] targets = task == Task.CLASSIFICATION ? labels.encode(matrix.targets(), outputUnits)
                : matrix.targets().stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        targetsOnly = new LabeledData(new double[rows], targets, rows, 1, outputUnits);
        random = new SplittableRandom(t.seed());
        if (encodeRows && folds != null) {
            // the last rows, or no holdout, are the same rows whatever the seed: jobs with other seeds share them
            boolean seeded = foldOfRow == null && t.validationFraction() > 0 && t.validationSplit() != ValidationSplit.LAST;
            PreparedFolds.Key key = new PreparedFolds.Key(foldOfRow == null ? -1 : fold, seeded ? splitSeed : 0,
                    t.validationFraction(), t.validationSplit(), t.scaling(), t.imputation(), t.unknownCategories(),
                    t.targetScaling(), task, outputUnits);
            PreparedFolds.Encoded kept = folds.get(key, () -> prepare(outputUnits, t, splitSeed, foldOfRow, fold, targets, true));
            if (kept == null) {
                return false;
            }
            pipeline = kept.pipeline();
            trainingRows = kept.training();
            validationRows = kept.validation();
            trainingRowCount = trainingRows.rows();
            validationRowCount = validationRows == null ? 0 : validationRows.rows();
            targetScaling = kept.targetScaling();
            return true;
        }
        PreparedFolds.Encoded prepared = prepare(outputUnits, t, splitSeed, foldOfRow, fold, targets, encodeRows);
        return prepared != null;
    }

    /** The split, the pipeline fit, the check and (with {@code encodeRows}) the encoding; null when an error was recorded. */
    private PreparedFolds.Encoded prepare(int outputUnits, TrainingConfig t, long splitSeed, int[] foldOfRow, int fold,
                                          double[] targets, boolean encodeRows) {
        int rows = matrix.rows();
        int[][] splitRows = null;
        if (foldOfRow != null) {
            splitRows = foldRows(foldOfRow, fold);
        } else if (t.validationFraction() > 0) {
            // The split has its own stream, so that trials of a search can share it while their seeds differ.
            SplittableRandom splitRandom = new SplittableRandom(splitSeed ^ SPLIT_STREAM);
            double fraction = t.validationFraction();
            splitRows = errors.attempt("training.validationFraction", () -> t.validationSplit() == ValidationSplit.LAST
                    ? Splits.lastRowIndices(rows, fraction)
                    : Splits.holdoutRows(targetsOnly, fraction, t.validationSplit() == ValidationSplit.STRATIFIED, splitRandom));
            if (splitRows == null) {
                return null;
            }
        }
        trainingRowCount = splitRows == null ? rows : splitRows[0].length;
        validationRowCount = splitRows == null ? 0 : splitRows[1].length;
        // Straight from the table's primitive columns into the engine's matrix: no boxed cell per value. Rows that are
        // only checked need the steps' kinds and widths, not their statistics.
        FeaturePipeline.Options options = new FeaturePipeline.Options(t.scaling().wireName(), t.imputation().wireName(),
                t.unknownCategories().wireName());
        int[] fitRows = splitRows == null ? null : splitRows[0];
        pipeline = encodeRows ? FeaturePipeline.fit(matrix.names(), matrix.columns(), fitRows, options)
                : FeaturePipeline.shape(matrix.names(), matrix.columns(), fitRows, options);
        try {
            // every row's problems in table order, without encoding a row; for 784 numeric columns, nothing to read
            pipeline.check(matrix.columns(), rows, this::cellField);
        } catch (DataException e) {
            e.problems().forEach(p -> errors.add(p.field(), p.message()));
            return null;
        }
        if (pipeline.width() == 0) {
            errors.add("data.featureColumns", "the features encode to no inputs (every feature is missing in the training rows)");
            return null;
        }
        double[] scaledTargets = targets;
        if (t.targetScaling() == TargetScalingMode.STANDARDIZE) {
            targetScaling = TargetScaling.fit(targets, splitRows == null ? Splits.identity(rows) : splitRows[0]);
            scaledTargets = targetScaling.standardize(targets);
        }
        if (!encodeRows) {
            return new PreparedFolds.Encoded(pipeline, null, null, targetScaling);
        }
        if (splitRows == null) {
            trainingRows = encodeRows(null, scaledTargets, outputUnits);
        } else {
            trainingRows = encodeRows(splitRows[0], select(scaledTargets, splitRows[0], outputUnits), outputUnits);
            validationRows = encodeRows(splitRows[1], select(scaledTargets, splitRows[1], outputUnits), outputUnits);
        }
        return new PreparedFolds.Encoded(pipeline, trainingRows, validationRows, targetScaling);
    }

    /**
     * The table's rows {@code order} (null: every row), encoded by the fitted pipeline, with their targets: in blocks of
     * a few megabytes when they are larger ({@link LabeledData#rowsPerBlock}), so that both cores allocate and fill them.
     */
    private LabeledData encodeRows(int[] order, double[] targets, int outputUnits) {
        int count = order == null ? matrix.rows() : order.length;
        int width = pipeline.width();
        int rowsPerBlock = LabeledData.rowsPerBlock(count, width);
        if (LabeledData.blockCount(count, rowsPerBlock) == 1) {
            return new LabeledData(pipeline.transform(matrix.columns(), order, matrix.rows(), this::cellField), targets, count,
                    width, outputUnits);
        }
        return new LabeledData(pipeline.transformInBlocks(matrix.columns(), order, matrix.rows(), rowsPerBlock, this::cellField),
                rowsPerBlock, targets, count, width, outputUnits);
    }

    /** The targets of {@code rows}, in that order. */
    private static double[] select(double[] targets, int[] rows, int width) {
        double[] selected = new double[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(targets, rows[i] * width, selected, i * width, width);
        }
        return selected;
    }

    private static int[][] foldRows(int[] foldOfRow, int fold) {
        List<Integer> training = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        for (int row = 0; row < foldOfRow.length; row++) {
            (foldOfRow[row] == fold ? validation : training).add(row);
        }
        return new int[][]{training.stream().mapToInt(Integer::intValue).toArray(),
                validation.stream().mapToInt(Integer::intValue).toArray()};
    }

    /** The request's name of a matrix cell: its row in the submitted table and its column there. */
    private String cellField(int row, int feature) {
        return "data.rows[" + matrix.tableRows()[row] + "][" + data.table().indexOf(matrix.names().get(feature)) + "]";
    }

    /** The target of every row, as given. */
    List<Object> targets() {
        return matrix.targets();
    }

    /** Rows per class, in the order of {@link #labels()}. */
    int[] classCounts() {
        int[] counts = new int[labels.size()];
        for (Object target : matrix.targets()) {
            counts[labels.indexOf(target)]++;
        }
        return counts;
    }

    /** How the regression target was standardized for training, or null when it trains in its own units. */
    TargetScaling targetScaling() {
        return targetScaling;
    }

    boolean isRead() {
        return matrix != null;
    }

    int rows() {
        return matrix.rows();
    }

    List<String> featureNames() {
        return matrix.names();
    }

    Task task() {
        return task;
    }

    boolean taskInferred() {
        return taskInferred;
    }

    /** Why the task was inferred as it was, in a sentence; null when the request named it. */
    String taskReason() {
        return taskReason;
    }

    /** The classes (classification), or null. */
    ClassLabels labels() {
        return labels;
    }

    int classCount() {
        return labels == null ? 0 : labels.size();
    }

    FeaturePipeline pipeline() {
        return pipeline;
    }

    int inputWidth() {
        return pipeline.width();
    }

    /** The encoded training rows (all rows without a split); null when the rows were only checked. */
    LabeledData trainingRows() {
        return trainingRows;
    }

    /** The encoded validation rows; null without a split, or when the rows were only checked. */
    LabeledData validationRows() {
        return validationRows;
    }

    /** How many rows train (all rows without a split). */
    int trainingRowCount() {
        return trainingRowCount;
    }

    /** How many rows validate (0 without a split). */
    int validationRowCount() {
        return validationRowCount;
    }

    /** The encoded targets in one-column placeholder features, for fold assignment. */
    LabeledData targetsOnly() {
        return targetsOnly;
    }

    /** The run's random stream, from the request's seed; initialize the network from it, then train with it. */
    SplittableRandom random() {
        return random;
    }
}
