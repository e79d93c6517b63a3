package dev.backprop.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A model's metrics at the end of training, computed in inference mode on the training split and on
 * the validation split, beside the trivial baseline's on the same rows, with what the numbers call for.
 *
 * @param validation null without a validation split
 * @param baseline   the trivial model's figures on the same rows (absent in models trained before baselines)
 * @param warnings   what the outcome calls for attention, e.g. no better than the baseline, not converged
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FinalMetrics(MetricsReport training, MetricsReport validation, Baseline baseline, List<Warning> warnings) {

    /** Metrics of a run judged against no baseline (a refit, a stored model of an older version). */
    public FinalMetrics(MetricsReport training, MetricsReport validation) {
        this(training, validation, null, null);
    }

    /**
     * What a model that ignores the features reaches: the most frequent class of the training rows (as
     * class frequencies, so log loss and ROC AUC have their chance values), or the training rows' mean.
     *
     * @param rule       how the baseline predicts, in words
     * @param validation null without a validation split
     * @param metric     the headline metric compared: accuracy or r2
     * @param lift       the model's headline metric minus the baseline's, on the validation rows when there
     *                   are any, else on the training rows
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Baseline(String rule, MetricsReport training, MetricsReport validation, String metric, Double lift) {
    }
}
