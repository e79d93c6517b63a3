package dev.backprop.job.web;

import io.swagger.v3.oas.annotations.media.Schema;

/** A learning-rate schedule. */
@Schema(description = "Learning-rate schedule")
public record ScheduleRequest(
        @Schema(allowableValues = {"constant", "step", "exponential", "reduce_on_plateau"}) String type,
        @Schema(description = "step: epochs between drops (default 10)") Integer everyEpochs,
        @Schema(description = "step, reduce_on_plateau: multiplier per drop (default 0.5)") Double factor,
        @Schema(description = "exponential: multiplier per epoch (default 0.95)") Double rate,
        @Schema(description = "reduce_on_plateau: watched quantity") String monitor,
        @Schema(description = "reduce_on_plateau: epochs without improvement (default 5)") Integer patience,
        @Schema(description = "reduce_on_plateau: smallest improvement (default 0)") Double minDelta,
        @Schema(description = "reduce_on_plateau: floor (default 0)") Double minLearningRate) {
}
