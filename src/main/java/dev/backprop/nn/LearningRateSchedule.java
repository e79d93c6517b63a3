package dev.backprop.nn;

import java.util.function.IntToDoubleFunction;

/** The per-run state of a {@link LearningRateScheduleSpec}. */
public abstract sealed class LearningRateSchedule {

    private LearningRateSchedule() {
    }

    /** The learning rate for {@code epoch} (numbered from 1). */
    abstract double learningRate(int epoch);

    /** Told about every finished epoch; only adaptive schedules listen. */
    void afterEpoch(EpochMetrics epoch) {
    }

    static final class Fixed extends LearningRateSchedule {
        private final IntToDoubleFunction rateOfEpoch;

        Fixed(IntToDoubleFunction rateOfEpoch) {
            this.rateOfEpoch = rateOfEpoch;
        }

        @Override
        double learningRate(int epoch) {
            return rateOfEpoch.applyAsDouble(epoch);
        }
    }

    static final class Plateau extends LearningRateSchedule {
        private final LearningRateScheduleSpec.ReduceOnPlateau spec;
        private double rate;
        private double best = Double.NaN;
        private int epochsWithoutImprovement;

        Plateau(LearningRateScheduleSpec.ReduceOnPlateau spec, double baseLearningRate) {
            this.spec = spec;
            this.rate = baseLearningRate;
        }

        @Override
        double learningRate(int epoch) {
            return rate;
        }

        @Override
        void afterEpoch(EpochMetrics epoch) {
            double value = spec.monitor().valueIn(epoch);
            if (spec.monitor().improves(value, best, spec.minDelta())) {
                best = value;
                epochsWithoutImprovement = 0;
            } else if (++epochsWithoutImprovement >= spec.patience()) {
                rate = Math.max(spec.minLearningRate(), rate * spec.factor());
                epochsWithoutImprovement = 0;
            }
        }
    }
}
