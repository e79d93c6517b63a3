package dev.backprop.job.web;

import io.swagger.v3.oas.annotations.media.Schema;

/** Early stopping; the best epoch's weights become the model. */
@Schema(description = "Early stopping; the best epoch's weights become the model. Absent with epochs absent: on, "
        + "watching val_loss (patience 10) with validation data, else the training loss (patience 10, minDelta 1e-4, as "
        + "scikit-learn's tol). Absent with epochs given: off, every epoch runs")
public record EarlyStoppingRequest(
        @Schema(description = "Watched quantity (default val_loss with validation data, else loss)",
                allowableValues = {"loss", "val_loss", "metric", "val_metric"}) String monitor,
        @Schema(description = "min or max (default: the monitor's direction)", allowableValues = {"min", "max"}) String mode,
        @Schema(description = "Epochs without improvement before stopping (default 10)") Integer patience,
        @Schema(description = "Smallest change that counts as an improvement (default 0)") Double minDelta) {
}
