package dev.backprop.job.web;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import java.util.List;

/** The architecture: hidden layers, then an output layer derived from the task unless given. */
@Schema(description = "The network: dense hidden layers and the output layer")
public record NetworkRequest(
        @Schema(description = "Hidden layers, input side first. Absent: one layer of 100 relu units (scikit-learn's "
                + "default); [] trains no hidden layer (a linear or logistic model)") List<@Valid HiddenLayerRequest> hiddenLayers,
        @Schema(description = "Output activation; default sigmoid for two classes, softmax for more, linear for regression",
                allowableValues = {"sigmoid", "softmax", "linear", "tanh", "relu", "leaky_relu", "elu"}) String outputActivation,
        @Schema(description = "Output units; default 1 for two classes or regression, the class count for softmax") Integer outputUnits,
        @Schema(description = "Weight initializer for all layers; default xavier (Glorot uniform, as Keras and "
                + "scikit-learn), which trained these shallow networks better than he in our measurements",
                allowableValues = {"normal", "xavier", "he", "torch_default"}) String initializer,
        @Schema(description = "Standard deviation of the normal initializer (default 0.1)") Double initializerScale,
        @Schema(description = "Arithmetic of the matrix products. float32 runs them 1.4–1.7 times as fast on large "
                + "networks (BENCHMARKS.md) with about 7 significant digits; weights, gradients and the optimizer stay "
                + "float64, and predictions use the same arithmetic as training. Default float64",
                allowableValues = {"float64", "float32"}) String precision) {
}
