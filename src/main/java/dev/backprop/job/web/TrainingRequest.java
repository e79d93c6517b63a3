package dev.backprop.job.web;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

/** How to train. */
@Schema(description = "Training settings")
public record TrainingRequest(
        @Schema(description = "Loss; default binary_crossentropy, categorical_crossentropy or mse by task",
                allowableValues = {"mse", "mae", "binary_crossentropy", "categorical_crossentropy"}) String loss,
        @Schema(description = "Optimizer (default adam)", allowableValues = {"sgd", "momentum", "rmsprop", "adam"}) String optimizer,
        @Schema(description = "Learning rate (default 0.01 for sgd and momentum, 0.001 otherwise)") Double learningRate,
        @Schema(description = "momentum: coefficient (default 0.9)") Double momentum,
        @Schema(description = "momentum: Nesterov look-ahead (default false)") Boolean nesterov,
        @Schema(description = "adam: first-moment decay (default 0.9)") Double beta1,
        @Schema(description = "adam: second-moment decay (default 0.999)") Double beta2,
        @Schema(description = "rmsprop: decay (default 0.9)") Double rho,
        @Schema(description = "adam and rmsprop: denominator guard (default 1e-8 and 1e-7)") Double epsilon,
        @Schema(description = "Epochs. Absent: up to 200, with early stopping (see earlyStopping); given: exactly this many "
                + "unless earlyStopping is given too") Integer epochs,
        @Schema(description = "Rows per mini-batch, reshuffled every epoch; a size of at least the training rows is full batch. "
                + "Default min(32, training rows), as Keras: small data sets still get several updates per epoch") Integer batchSize,
        @Schema(description = "L1 penalty (default 0): adds l1·Σ|w| over every weight (not biases) to each mini-batch's "
                + "mean loss") Double l1,
        @Schema(description = "L2 penalty (default 0): adds l2·Σw² over every weight (not biases) to each mini-batch's mean "
                + "loss. scikit-learn's alpha adds (alpha / 2)·Σw² / batch rows to the same mean loss, so l2 = alpha / (2 · batch "
                + "size) gives the same penalty; Keras' kernel_regularizer l2(x) is l2 = x") Double l2,
        @Schema(description = "Random seed; drawn and recorded when absent") Long seed,
        @Schema(description = "Fraction held out for validation, stratified for classification. Default 0.1 "
                + "from 1,000 rows on (enough rows to rank epochs by validation loss); below that 0: small sets cannot spare rows, "
                + "so every row trains and you score the model on your own held-out rows (POST /models/{id}/evaluate)")
        Double validationFraction,
        @Schema(description = "How validation rows are chosen: stratified (default for classification), random (default for "
                + "regression) or last (the last rows in order, as Keras' validation_split)",
                allowableValues = {"stratified", "random", "last"}) String validationSplit,
        @Schema(description = "Numeric features: standardize (default), minmax or none, with training-split statistics",
                allowableValues = {"standardize", "minmax", "none"}) String scaling,
        @Schema(description = "Missing features: mean (default) or median for numbers and the most frequent category "
                + "otherwise, or drop the rows", allowableValues = {"mean", "median", "drop"}) String imputation,
        @Schema(description = "A category unseen in training at prediction: ignore (all zeros, default) or reject",
                allowableValues = {"ignore", "reject"}) String unknownCategories,
        @Valid EarlyStoppingRequest earlyStopping,
        @Valid ScheduleRequest schedule,
        @Schema(description = "Clip gradients to this global L2 norm") Double clipNorm,
        @Schema(description = "Wall-clock budget; the model keeps the best weights so far") Integer maxRuntimeSeconds,
        @Schema(description = "Regression: standardize (default with a linear output) trains on the target standardized "
                + "with training-row statistics and folds the inverse into the output layer, so predictions and metrics stay "
                + "in the target's units; none trains on the raw target", allowableValues = {"standardize", "none"})
        String targetScaling,
        @Schema(description = "Classification: \"balanced\" weighs each class by rows / (classes × its rows), as "
                + "scikit-learn's class_weight='balanced'; or an object from class label to weight (classes left out weigh 1). "
                + "Each row's loss and gradient is multiplied by its class's weight (the validation loss is not)",
                oneOf = {String.class, java.util.Map.class}, example = "balanced") Object classWeights) {
}
