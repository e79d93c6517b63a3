package dev.backprop.training;

import dev.backprop.model.FinalMetrics;
import dev.backprop.model.MetricsReport;
import dev.backprop.model.Warning;
import dev.backprop.nn.EpochMetrics;
import dev.backprop.nn.LabeledData;
import dev.backprop.nn.Metrics;
import dev.backprop.nn.Network;
import dev.backprop.nn.StopReason;
import dev.backprop.nn.Task;
import dev.backprop.nn.TrainingResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a trained network: its metrics on the training and validation rows in the target's units, the
 * trivial baseline's on the same rows, the lift over it, and the warnings the outcome calls for.
 */
public final class ModelEvaluation {

    /**
     * A run that used every epoch has not converged when its loss fell over its last tenth of epochs (at
     * least {@link #CONVERGENCE_WINDOW}) by more than this fraction and by more than
     * {@link #CONVERGED_CHANGE_PER_EPOCH} per epoch of the window: early stopping's own tolerance on the
     * training loss, so a loss of 0.003 that still creeps down is not called unconverged.
     */
    static final double CONVERGED_RELATIVE_CHANGE = 0.01;
    static final double CONVERGED_CHANGE_PER_EPOCH = 1e-4;
    static final int CONVERGENCE_WINDOW = 10;

    private ModelEvaluation() {
    }

    /** Measures a network whose outputs are already in the target's units ({@link TrainingPlan#restoreTargetUnitsInPlace}). */
    public static FinalMetrics evaluate(Network network, TrainingPlan plan, TrainingResult result) {
        LabeledData training = plan.trainingDataInTargetUnits();
        LabeledData validation = plan.validationInTargetUnits();
        MetricsReport trainingReport = report(training.predictedBy(network), training, plan);
        MetricsReport validationReport = validation == null ? null
                : report(validation.predictedBy(network), validation, plan);
        double[] prior = columnMeans(training);
        MetricsReport trainingBaseline = report(repeat(prior, training.rows()), training, plan);
        MetricsReport validationBaseline = validation == null ? null : report(repeat(prior, validation.rows()), validation, plan);
        String metric = plan.task().headlineMetricName();
        Double lift = validation != null ? difference(headline(validationReport, plan.task()), headline(validationBaseline, plan.task()))
                : difference(headline(trainingReport, plan.task()), headline(trainingBaseline, plan.task()));
        String rule = plan.task() == Task.CLASSIFICATION
                ? "the training rows' class frequencies for every row: the most frequent class, with chance-level log loss and ROC AUC"
                : "the training rows' mean target for every row";
        FinalMetrics.Baseline baseline = new FinalMetrics.Baseline(rule, trainingBaseline, validationBaseline, metric, lift);
        return new FinalMetrics(trainingReport, validationReport, baseline,
                warnings(result, lift, metric, validation != null, plan.training().epochs()));
    }

    private static List<Warning> warnings(TrainingResult result, Double lift, String metric, boolean onValidation, int epochs) {
        List<Warning> warnings = new ArrayList<>();
        if (lift != null && lift <= 0) {
            warnings.add(new Warning(Warning.NO_BETTER_THAN_BASELINE, "The model's " + metric + " on the "
                    + (onValidation ? "validation" : "training") + " rows is no better than predicting without the features ("
                    + String.format("%+.4f", lift) + "); check the features, train longer, or try another learning rate."));
        }
        if (result.stopReason() == StopReason.TIME_LIMIT) {
            warnings.add(new Warning(Warning.TIME_BUDGET, "Training stopped when its time budget ran out, after "
                    + result.history().size() + " of " + epochs + " epochs; the model holds the best weights so far. Raise "
                    + "training.maxRuntimeSeconds or lower the epochs."));
        } else if (result.stopReason() == StopReason.COMPLETED && stillFalling(result.history())) {
            warnings.add(new Warning(Warning.NOT_CONVERGED, "The training loss was still falling at the last of " + epochs
                    + " epochs (by more than " + Math.round(CONVERGED_RELATIVE_CHANGE * 100) + "% over the last epochs): the model "
                    + "has not converged. Raise training.epochs (early stopping still ends the run once the loss stops improving), "
                    + "or a higher learning rate."));
        }
        return warnings;
    }

    private static boolean stillFalling(List<EpochMetrics> history) {
        if (history.size() < 2) {
            return false;
        }
        int window = Math.min(history.size() - 1, Math.max(CONVERGENCE_WINDOW, history.size() / 10));
        double before = history.get(history.size() - 1 - window).loss();
        double drop = before - history.get(history.size() - 1).loss();
        return drop > CONVERGED_RELATIVE_CHANGE * Math.abs(before) && drop > CONVERGED_CHANGE_PER_EPOCH * window;
    }

    private static MetricsReport report(double[] outputs, LabeledData data, TrainingPlan plan) {
        return MetricsReport.of(Metrics.evaluate(plan.task(), outputs, data.targets(), data.rows(), data.targetCount()),
                plan.labels() == null ? null : plan.labels().labels(), data.rows());
    }

    private static double[] columnMeans(LabeledData data) {
        double[] means = new double[data.targetCount()];
        for (int row = 0; row < data.rows(); row++) {
            for (int unit = 0; unit < means.length; unit++) {
                means[unit] += data.targets()[row * means.length + unit];
            }
        }
        for (int unit = 0; unit < means.length; unit++) {
            means[unit] /= data.rows();
        }
        return means;
    }

    private static double[] repeat(double[] row, int rows) {
        double[] outputs = new double[row.length * rows];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(row, 0, outputs, r * row.length, row.length);
        }
        return outputs;
    }

    private static Double headline(MetricsReport report, Task task) {
        return task == Task.CLASSIFICATION ? report.accuracy() : report.r2();
    }

    private static Double difference(Double model, Double baseline) {
        return model == null || baseline == null ? null : model - baseline;
    }
}
