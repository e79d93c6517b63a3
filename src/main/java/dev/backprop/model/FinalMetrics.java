package dev.backprop.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A model's metrics at the end of training, computed in inference mode on the training split and on
 * the validation split.
 *
 * @param validation null without a validation split
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FinalMetrics(MetricsReport training, MetricsReport validation) {
}
