package dev.backprop.model;

import dev.backprop.data.ClassLabels;
import dev.backprop.data.FeaturePipeline;
import dev.backprop.nn.Metrics;
import dev.backprop.nn.Network;
import dev.backprop.nn.Task;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A trained network with everything prediction needs: the input schema, the preprocessing fitted on
 * the training split, the class labels as the client gave them, plus its metrics, source job and
 * provenance.
 *
 * @param pipeline     the feature encoding fitted on the training split
 * @param labels       the classes (classification), or null
 * @param provenance   how the model was made; null for a model stored before format 3
 */
public record TrainedModel(UUID id, UUID jobId, Instant createdAt, Task task, List<String> featureNames, String targetColumn,
                           FeaturePipeline pipeline, ClassLabels labels, Network network, FinalMetrics metrics,
                           ModelProvenance provenance) {

    public TrainedModel {
        featureNames = List.copyOf(featureNames);
    }

    /**
     * The network's outputs for rows of raw feature cells in {@link #featureNames()} order: encoded by
     * the training pipeline (imputation, scaling, one-hot), then a forward pass.
     *
     * @param field names a cell in an error, from its row and feature index
     * @throws dev.backprop.data.DataException for cells the pipeline cannot encode
     */
    public double[] outputs(List<List<Object>> rawRows, java.util.function.BiFunction<Integer, Integer, String> field) {
        return network.predict(pipeline.transform(rawRows, field), rawRows.size());
    }

    /**
     * The network's outputs for feature columns in {@link #featureNames()} order, {@code rows} cells each:
     * encoded by the training pipeline from their primitive arrays, then a forward pass.
     *
     * @param field names a cell in an error, from its row and feature index
     * @throws dev.backprop.data.DataException for cells the pipeline cannot encode
     */
    public double[] outputs(List<dev.backprop.data.Column> columns, int rows, java.util.function.BiFunction<Integer, Integer, String> field) {
        return network.predict(pipeline.transform(columns, rows, field), rows);
    }

    /** Probability of every class per row from the outputs: {@code [1 − p, p]} for one sigmoid unit. */
    public double[] classProbabilities(double[] outputs, int rows) {
        int outputsPerRow = network.spec().outputUnits();
        if (outputsPerRow > 1) {
            return outputs;
        }
        double[] probabilities = new double[rows * 2];
        for (int r = 0; r < rows; r++) {
            probabilities[2 * r] = 1 - outputs[r];
            probabilities[2 * r + 1] = outputs[r];
        }
        return probabilities;
    }

    /** The index of the predicted class of a row of class probabilities. */
    public int predictedClass(double[] probabilities, int row) {
        int classes = labels.size();
        if (classes == 2 && network.spec().outputUnits() == 1) {
            return probabilities[2 * row + 1] >= Metrics.DEFAULT_THRESHOLD ? 1 : 0;
        }
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (probabilities[row * classes + c] > probabilities[row * classes + best]) {
                best = c;
            }
        }
        return best;
    }
}
