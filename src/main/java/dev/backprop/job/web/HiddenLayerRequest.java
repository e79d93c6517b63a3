package dev.backprop.job.web;

import io.swagger.v3.oas.annotations.media.Schema;

/** One dense hidden layer. */
@Schema(description = "A dense hidden layer")
public record HiddenLayerRequest(
        @Schema(description = "Neurons in the layer", example = "4", requiredMode = Schema.RequiredMode.REQUIRED) Integer units,
        @Schema(description = "Activation (default relu)", allowableValues = {"sigmoid", "tanh", "relu", "leaky_relu", "elu", "linear"})
        String activation,
        @Schema(description = "Inverted-dropout rate while training, in [0, 1) (default 0)") Double dropout,
        @Schema(description = "Slope of leaky_relu (default 0.01) or alpha of elu (default 1)") Double alpha) {
}
