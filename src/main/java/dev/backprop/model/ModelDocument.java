package dev.backprop.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The stored form of a {@link TrainedModel}, versioned so that a model written today stays loadable.
 * Weights are base64 strings of little-endian IEEE-754 doubles, one per parameter slot (layer 1
 * weights, layer 1 biases, …), which is exact and four times smaller than decimal JSON.
 *
 * <p>Format history: 1 — the first format.
 *
 * @param formatVersion the format of this document
 * @param preprocessing null when features are used as given
 * @param labels        class labels as given (classification), or null
 * @param parameters    null in the summary that listings read
 */
public record ModelDocument(int formatVersion, UUID id, UUID jobId, Instant createdAt, String task, InputSchema inputSchema,
                            Preprocessing preprocessing, List<Object> labels, Architecture network, List<String> parameters,
                            FinalMetrics metrics) {

    /** The format this code writes. */
    public static final int CURRENT_FORMAT = 1;

    /** The columns a model reads and predicts. */
    public record InputSchema(List<String> features, String target) {
    }

    /** Standardization statistics of the training split. */
    public record Preprocessing(String scaling, double[] mean, double[] std) {
    }

    /** The network's shape. */
    public record Architecture(int inputSize, List<Layer> hiddenLayers, int outputUnits, String outputActivation,
                               double outputAlpha, String initializer, long parameterCount) {
    }

    /** One hidden layer. */
    public record Layer(int units, String activation, double alpha, double dropout) {
    }

    /** The document without its weights. */
    public ModelDocument summary() {
        return new ModelDocument(formatVersion, id, jobId, createdAt, task, inputSchema, preprocessing, labels, network, null, metrics);
    }
}
