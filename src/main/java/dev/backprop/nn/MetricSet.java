package dev.backprop.nn;

import java.util.List;

/**
 * The evaluation metrics of a model on labelled data: one of the three families below, chosen by
 * the task and the number of classes. Produced by {@link Metrics}.
 */
public sealed interface MetricSet {

    /**
     * Two classes, scored by the probability of the positive class (label 1).
     *
     * @param threshold the probability at or above which a row is predicted positive
     * @param accuracy  (TP + TN) / n
     * @param precision TP / (TP + FP); 0 when nothing is predicted positive
     * @param recall    TP / (TP + FN); 0 when no row is positive
     * @param f1        harmonic mean of precision and recall; 0 when both are 0
     * @param rocAuc    area under the ROC curve (ties counted half), or {@code null} when only one
     *                  class is present
     * @param logLoss   mean binary cross-entropy, probabilities clipped to [1e-15, 1 − 1e-15]
     * @param confusion {@code [[TN, FP], [FN, TP]]}: rows are actual classes 0 and 1, columns predicted
     */
    record Binary(double threshold, double accuracy, double precision, double recall, double f1, Double rocAuc,
                  double logLoss, long[][] confusion) implements MetricSet {
    }

    /**
     * Per-class figures of a multi-class evaluation.
     *
     * @param classIndex the class (column of the softmax output)
     * @param support    rows whose actual class this is
     */
    record ClassMetrics(int classIndex, double precision, double recall, double f1, long support) {
    }

    /**
     * Three or more classes, predicted by argmax.
     *
     * @param perClass    precision, recall and F1 per class (0 where undefined, as for binary)
     * @param macroRocAuc mean one-vs-rest AUC over the classes for which both sides are present, or
     *                    {@code null} when there is none
     * @param confusion   rows are actual classes, columns predicted classes
     */
    record Multiclass(double accuracy, List<ClassMetrics> perClass, double macroPrecision, double macroRecall,
                      double macroF1, double weightedPrecision, double weightedRecall, double weightedF1,
                      Double macroRocAuc, double logLoss, long[][] confusion) implements MetricSet {
        public Multiclass {
            perClass = List.copyOf(perClass);
        }
    }

    /**
     * Real-valued predictions; with several outputs, each figure is the mean over outputs
     * (scikit-learn's {@code uniform_average}).
     *
     * @param r2 {@code 1 − SSE/SST}; when the targets are constant (SST = 0): 1 for a perfect fit,
     *           otherwise 0 (scikit-learn's {@code force_finite})
     */
    record Regression(double mse, double rmse, double mae, double r2) implements MetricSet {
    }
}
