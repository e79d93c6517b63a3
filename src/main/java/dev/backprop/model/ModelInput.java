package dev.backprop.model;

import java.util.List;
import java.util.Map;

/**
 * Rows sent to a model, as arrays of feature values in the model's feature order ({@code instances})
 * or as records keyed by column name ({@code records}); exactly one of the two is present. Cells are
 * {@link Long}, finite {@link Double}, {@link String}, {@link Boolean} or null.
 *
 * @param targets for evaluation with instances: the true label or value of each row
 */
public record ModelInput(List<List<Object>> instances, List<Map<String, Object>> records, List<Object> targets) {
}
