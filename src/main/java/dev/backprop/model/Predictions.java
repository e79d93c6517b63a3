package dev.backprop.model;

import java.util.List;

/**
 * A model's answers for a batch of rows.
 *
 * @param labels the classes in probability order (classification), or null
 * @param rows   one answer per input row, in input order
 */
public record Predictions(List<Object> labels, List<Row> rows) {

    /**
     * One row's answer: a label and its class probabilities, or a value.
     *
     * @param label         the predicted class as the client gave it, or null for regression
     * @param probabilities the probability of each class in {@code labels} order, or null
     * @param value         the predicted value (regression), or null
     */
    public record Row(Object label, double[] probabilities, Double value) {
    }
}
