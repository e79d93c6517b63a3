package dev.backprop.nn;

/**
 * How the learning rate changes from epoch to epoch. Epochs are numbered from 1; the first epoch
 * always runs at the optimizer's base rate {@code η₀}.
 */
public sealed interface LearningRateScheduleSpec {

    /** Fresh per-run state of the schedule. */
    LearningRateSchedule start(double baseLearningRate);

    /** The lowercase wire name. */
    String wireName();

    /** The base rate throughout. */
    record Constant() implements LearningRateScheduleSpec {
        @Override
        public LearningRateSchedule start(double baseLearningRate) {
            return new LearningRateSchedule.Fixed(epoch -> baseLearningRate);
        }

        @Override
        public String wireName() {
            return "constant";
        }
    }

    /** Step decay: {@code η = η₀ · factor^⌊(epoch−1)/everyEpochs⌋}. */
    record StepDecay(int everyEpochs, double factor) implements LearningRateScheduleSpec {
        public StepDecay {
            if (everyEpochs < 1) {
                throw new IllegalArgumentException("schedule.everyEpochs must be >= 1, was " + everyEpochs);
            }
            requireDecayFactor(factor);
        }

        @Override
        public LearningRateSchedule start(double baseLearningRate) {
            return new LearningRateSchedule.Fixed(
                    epoch -> baseLearningRate * Math.pow(factor, (epoch - 1) / everyEpochs));
        }

        @Override
        public String wireName() {
            return "step";
        }
    }

    /** Exponential decay: {@code η = η₀ · rate^(epoch−1)}. */
    record ExponentialDecay(double rate) implements LearningRateScheduleSpec {
        public ExponentialDecay {
            requireDecayFactor(rate);
        }

        @Override
        public LearningRateSchedule start(double baseLearningRate) {
            return new LearningRateSchedule.Fixed(epoch -> baseLearningRate * Math.pow(rate, epoch - 1));
        }

        @Override
        public String wireName() {
            return "exponential";
        }
    }

    /**
     * Keras' {@code ReduceLROnPlateau}: multiply the rate by {@code factor} when {@code monitor} has not
     * improved by more than {@code minDelta} for {@code patience} epochs, never going below
     * {@code minLearningRate}.
     */
    record ReduceOnPlateau(Monitor monitor, double factor, int patience, double minDelta, double minLearningRate)
            implements LearningRateScheduleSpec {
        public ReduceOnPlateau {
            if (monitor == null) {
                throw new IllegalArgumentException("schedule.monitor is required");
            }
            requireDecayFactor(factor);
            if (patience < 1) {
                throw new IllegalArgumentException("schedule.patience must be >= 1, was " + patience);
            }
            if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
                throw new IllegalArgumentException("schedule.minDelta must be finite and >= 0, was " + minDelta);
            }
            if (!(minLearningRate >= 0) || !Double.isFinite(minLearningRate)) {
                throw new IllegalArgumentException("schedule.minLearningRate must be finite and >= 0, was " + minLearningRate);
            }
        }

        @Override
        public LearningRateSchedule start(double baseLearningRate) {
            return new LearningRateSchedule.Plateau(this, baseLearningRate);
        }

        @Override
        public String wireName() {
            return "reduce_on_plateau";
        }
    }

    private static void requireDecayFactor(double factor) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("schedule factor must be in (0, 1], was " + factor);
        }
    }
}
