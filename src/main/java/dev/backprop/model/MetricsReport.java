package dev.backprop.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backprop.nn.MetricSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluation metrics in the service's terms: one family's figures (the others are absent), with the
 * confusion matrix labelled by the client's own class names.
 *
 * @param kind            {@code binary}, {@code multiclass} or {@code regression}
 * @param rows            rows evaluated
 * @param threshold       binary: probability at or above which the second class is predicted
 * @param rocAuc          binary: null when only one class is present
 * @param macroRocAuc     multiclass: mean one-vs-rest AUC over the classes present on both sides
 * @param confusionMatrix rows are actual classes, columns predicted, in {@code labels} order
 * @param balancedAccuracy classification: the mean recall over the classes present, which weighs every class
 *                         alike whatever its size (what class weights "balanced" train for; accuracy on a
 *                         95:5 set reads 0.95 for a model that never finds the rare class, this reads 0.5)
 * @param rocCurve         binary evaluation of a model: false against true positive rate per threshold, for plots
 * @param precisionRecallCurve binary evaluation of a model: precision against recall per threshold, for plots
 * @param classCurves      multiclass evaluation of a model: each class's ROC and precision–recall curves against
 *                         the rest (classes present on both sides)
 * @param residuals        evaluation of a one-output regression model: predicted against actual values of at most
 *                         {@value #MAX_RESIDUALS} rows, evenly spaced through the rows evaluated, for a residual plot
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricsReport(String kind, int rows, Double threshold, Double accuracy, Double precision, Double recall,
                            Double f1, Double rocAuc, Double logLoss, List<ClassReport> perClass, Double macroPrecision,
                            Double macroRecall, Double macroF1, Double weightedPrecision, Double weightedRecall,
                            Double weightedF1, Double macroRocAuc, ConfusionMatrix confusionMatrix, Double mse, Double rmse,
                            Double mae, Double r2, Double balancedAccuracy, List<Curves.RocPoint> rocCurve,
                            List<Curves.PrecisionRecallPoint> precisionRecallCurve, List<Curves.ClassCurves> classCurves,
                            List<Residual> residuals) {

    /** Residual points an evaluation answers at most: enough for a plot, bounded for the answer's size. */
    public static final int MAX_RESIDUALS = 1_000;

    /** This report with a binary classifier's curves (none when null). */
    public MetricsReport withCurves(Curves.BinaryCurves curves) {
        return curves == null ? this : new MetricsReport(kind, rows, threshold, accuracy, precision, recall, f1, rocAuc, logLoss,
                perClass, macroPrecision, macroRecall, macroF1, weightedPrecision, weightedRecall, weightedF1, macroRocAuc,
                confusionMatrix, mse, rmse, mae, r2, balancedAccuracy, curves.roc(), curves.precisionRecall(), classCurves, residuals);
    }

    /** This report with a multi-class classifier's one-vs-rest curves. */
    public MetricsReport withClassCurves(List<Curves.ClassCurves> curves) {
        return new MetricsReport(kind, rows, threshold, accuracy, precision, recall, f1, rocAuc, logLoss, perClass, macroPrecision,
                macroRecall, macroF1, weightedPrecision, weightedRecall, weightedF1, macroRocAuc, confusionMatrix, mse, rmse, mae, r2,
                balancedAccuracy, rocCurve, precisionRecallCurve, curves.isEmpty() ? null : curves, residuals);
    }

    /**
     * This report with a regression model's residual points: of {@code rows} predictions ({@code predicted}) and
     * their targets ({@code actual}), every row when there are at most {@value #MAX_RESIDUALS}, otherwise rows
     * {@code ⌊i · rows / MAX_RESIDUALS⌋} for {@code i = 0 … MAX_RESIDUALS − 1}, so the same rows answer the same points.
     */
    public MetricsReport withResiduals(double[] predicted, double[] actual) {
        int points = Math.min(predicted.length, MAX_RESIDUALS);
        List<Residual> sampled = new ArrayList<>(points);
        for (int i = 0; i < points; i++) {
            int row = (int) ((long) i * predicted.length / points);
            sampled.add(new Residual(predicted[row], actual[row]));
        }
        return new MetricsReport(kind, rows, threshold, accuracy, precision, recall, f1, rocAuc, logLoss, perClass, macroPrecision,
                macroRecall, macroF1, weightedPrecision, weightedRecall, weightedF1, macroRocAuc, confusionMatrix, mse, rmse, mae, r2,
                balancedAccuracy, rocCurve, precisionRecallCurve, classCurves, sampled);
    }

    /** One evaluated row of a regression: the model's prediction and the row's target, in the target's units. */
    public record Residual(double predicted, double actual) {
    }

    /** Precision, recall and F1 of one class. */
    public record ClassReport(Object label, double precision, double recall, double f1, long support) {
    }

    /** Counts of actual (rows) against predicted (columns) classes. */
    public record ConfusionMatrix(List<Object> labels, List<List<Long>> counts) {
    }

    /** The report of an engine metric set; {@code labels} name the classes (null for regression). */
    public static MetricsReport of(MetricSet metrics, List<Object> labels, int rows) {
        if (metrics instanceof MetricSet.Binary b) {
            return new MetricsReport("binary", rows, b.threshold(), b.accuracy(), b.precision(), b.recall(), b.f1(), b.rocAuc(),
                    b.logLoss(), null, null, null, null, null, null, null, null, confusion(labels, b.confusion()),
                    null, null, null, null, balancedAccuracy(b.confusion()), null, null, null, null);
        }
        if (metrics instanceof MetricSet.Multiclass m) {
            List<ClassReport> perClass = new ArrayList<>();
            for (MetricSet.ClassMetrics c : m.perClass()) {
                perClass.add(new ClassReport(labels.get(c.classIndex()), c.precision(), c.recall(), c.f1(), c.support()));
            }
            return new MetricsReport("multiclass", rows, null, m.accuracy(), null, null, null, null, m.logLoss(), perClass,
                    m.macroPrecision(), m.macroRecall(), m.macroF1(), m.weightedPrecision(), m.weightedRecall(),
                    m.weightedF1(), m.macroRocAuc(), confusion(labels, m.confusion()), null, null, null, null,
                    balancedAccuracy(m.confusion()), null, null, null, null);
        }
        MetricSet.Regression r = (MetricSet.Regression) metrics;
        return new MetricsReport("regression", rows, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, r.mse(), r.rmse(), r.mae(), r.r2(), null, null, null, null, null);
    }

    /** Mean recall over the classes with rows (rows of the confusion matrix are actual classes). */
    private static double balancedAccuracy(long[][] confusion) {
        double sum = 0;
        int present = 0;
        for (int actual = 0; actual < confusion.length; actual++) {
            long rows = Arrays.stream(confusion[actual]).sum();
            if (rows > 0) {
                sum += (double) confusion[actual][actual] / rows;
                present++;
            }
        }
        return present == 0 ? Double.NaN : sum / present;
    }

    private static ConfusionMatrix confusion(List<Object> labels, long[][] counts) {
        List<List<Long>> rows = new ArrayList<>();
        for (long[] row : counts) {
            rows.add(Arrays.stream(row).boxed().toList());
        }
        return new ConfusionMatrix(labels, rows);
    }
}
