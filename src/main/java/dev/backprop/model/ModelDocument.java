package dev.backprop.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The stored form of a {@link TrainedModel}, versioned so that a model written today stays loadable.
 * Weights are base64 strings of little-endian IEEE-754 doubles, one per parameter slot (layer 1
 * weights, layer 1 biases, …), which is exact and four times smaller than decimal JSON.
 *
 * <p>Format history: 1 — numeric features with optional standardization ({@code preprocessing});
 * 2 — a feature pipeline per column ({@code pipeline}: imputation, scaling, one-hot categories);
 * 3 — the pipeline of format 2 and the model's {@code provenance}.
 *
 * @param formatVersion the format of this document
 * @param preprocessing format 1 only: standardization, or null when features are used as given
 * @param pipeline      formats 2 and 3: one step per feature column
 * @param labels        class labels as given (classification), or null
 * @param parameters    null in the summary that listings read
 * @param provenance    format 3: how the model was made; null in older formats
 */
public record ModelDocument(int formatVersion, UUID id, UUID jobId, Instant createdAt, String task, InputSchema inputSchema,
                            Preprocessing preprocessing, List<PipelineStep> pipeline, List<Object> labels, Architecture network,
                            List<String> parameters, FinalMetrics metrics, ModelProvenance provenance) {

    /** The format this code writes. */
    public static final int CURRENT_FORMAT = 3;

    /**
     * One column's step of the feature pipeline.
     *
     * @param kind         numeric or categorical
     * @param scaling      numeric: standardize, minmax or none
     * @param center       numeric: subtracted before scaling
     * @param scale        numeric: divided by after centering
     * @param fill         numeric: the value of a missing cell, or null
     * @param categories   categorical: the one-hot categories
     * @param categoryFill categorical: the category of a missing cell, or null
     * @param unknown      categorical: ignore or reject an unseen category
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record PipelineStep(String name, String kind, String scaling, Double center, Double scale, Double fill,
                               List<Object> categories, Object categoryFill, String unknown) {
    }

    /** The columns a model reads and predicts. */
    public record InputSchema(List<String> features, String target) {
    }

    /** Standardization statistics of the training split. */
    public record Preprocessing(String scaling, double[] mean, double[] std) {
    }

    /** The network's shape, and the arithmetic of its products (absent in models from before float32: float64). */
    public record Architecture(int inputSize, List<Layer> hiddenLayers, int outputUnits, String outputActivation,
                               double outputAlpha, String initializer, long parameterCount, String precision) {
    }

    /** One hidden layer. */
    public record Layer(int units, String activation, double alpha, double dropout) {
    }

    /** The document without its weights. */
    public ModelDocument summary() {
        return new ModelDocument(formatVersion, id, jobId, createdAt, task, inputSchema, preprocessing, pipeline, labels, network, null,
                metrics, provenance);
    }
}
