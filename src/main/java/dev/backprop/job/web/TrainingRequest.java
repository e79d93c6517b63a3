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
        @Schema(description = "Epochs (default 100)") Integer epochs,
        @Schema(description = "Mini-batch size; absent means full batch") Integer batchSize,
        @Schema(description = "L1 penalty on weights (default 0)") Double l1,
        @Schema(description = "L2 penalty on weights (default 0)") Double l2,
        @Schema(description = "Random seed; drawn and recorded when absent") Long seed,
        @Schema(description = "Fraction held out for validation, stratified for classification (default 0.2 from 20 rows on)")
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
        @Schema(description = "Wall-clock budget; the model keeps the best weights so far") Integer maxRuntimeSeconds) {
}
