package dev.backprop.model.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backprop.model.Predictions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Predictions, one per input row in order.
 *
 * @param labels the classes, in the order of each prediction's probabilities (classification)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PredictResponse(UUID modelId, List<Object> labels, List<Prediction> predictions) {

    /**
     * @param label         the predicted class, as given in training (classification)
     * @param probabilities the probability of each class in {@code labels} order (classification)
     * @param value         the predicted value (regression)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Prediction(Object label, double[] probabilities, Double value) {
    }

    static PredictResponse of(UUID modelId, Predictions predictions) {
        List<Prediction> rows = new ArrayList<>(predictions.rows().size());
        for (Predictions.Row row : predictions.rows()) {
            rows.add(new Prediction(row.label(), row.probabilities(), row.value()));
        }
        return new PredictResponse(modelId, predictions.labels(), rows);
    }
}
