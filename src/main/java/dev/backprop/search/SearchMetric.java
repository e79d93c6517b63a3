package dev.backprop.search;

import dev.backprop.model.MetricsReport;
import java.util.Locale;

/**
 * A metric that ranks search trials, read from a validation {@link MetricsReport}. Multi-class
 * figures are the macro averages.
 */
public enum SearchMetric {
    ACCURACY(true, true), PRECISION(true, true), RECALL(true, true), F1(true, true), ROC_AUC(true, true),
    LOG_LOSS(true, false), MSE(false, false), RMSE(false, false), MAE(false, false), R2(false, true);

    private final boolean classification;
    private final boolean higherIsBetter;

    SearchMetric(boolean classification, boolean higherIsBetter) {
        this.classification = classification;
        this.higherIsBetter = higherIsBetter;
    }

    /** The lowercase wire name, e.g. {@code roc_auc}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name.
     *
     * @throws IllegalArgumentException naming the known metrics
     */
    public static SearchMetric named(String name) {
        for (SearchMetric metric : values()) {
            if (metric.wireName().equals(name)) {
                return metric;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + name
                + "'; expected one of accuracy, precision, recall, f1, roc_auc, log_loss, mse, rmse, mae, r2");
    }

    /** True for the metrics of classification, false for those of regression. */
    public boolean isForClassification() {
        return classification;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The metric's value in a report, or null when the report does not define it (e.g. AUC of one class). */
    public Double valueIn(MetricsReport report) {
        boolean multiclass = "multiclass".equals(report.kind());
        return switch (this) {
            case ACCURACY -> report.accuracy();
            case PRECISION -> multiclass ? report.macroPrecision() : report.precision();
            case RECALL -> multiclass ? report.macroRecall() : report.recall();
            case F1 -> multiclass ? report.macroF1() : report.f1();
            case ROC_AUC -> multiclass ? report.macroRocAuc() : report.rocAuc();
            case LOG_LOSS -> report.logLoss();
            case MSE -> report.mse();
            case RMSE -> report.rmse();
            case MAE -> report.mae();
            case R2 -> report.r2();
        };
    }
}
