package dev.backprop.nn;

/**
 * An immutable description of a gradient-descent update rule. {@link #newState(int[])} creates the
 * mutable per-run state (velocities, moment estimates), so two runs never share it.
 */
public sealed interface OptimizerSpec {

    /** The base learning rate, before any schedule. */
    double learningRate();

    /** The lowercase wire name: {@code sgd}, {@code momentum}, {@code rmsprop} or {@code adam}. */
    String wireName();

    /**
     * Fresh optimizer state for parameter arrays of the given lengths ("slots").
     */
    Optimizer newState(int[] slotLengths);

    private static void requirePositiveFinite(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a positive finite number, was " + value);
        }
    }

    private static void requireFraction(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), was " + value);
        }
    }

    /** The tutorial's plain update {@code θ ← θ − η·g}. */
    record Sgd(double learningRate) implements OptimizerSpec {
        public Sgd {
            requirePositiveFinite("learningRate", learningRate);
        }

        @Override
        public String wireName() {
            return "sgd";
        }

        @Override
        public Optimizer newState(int[] slotLengths) {
            return new Optimizer.PlainSgd();
        }
    }

    /**
     * Heavy-ball momentum (Polyak, 1964), in Keras' form: {@code v ← μ·v − η·g; θ ← θ + v}; with
     * {@code nesterov}, the look-ahead update {@code θ ← θ + μ·v − η·g} (Sutskever et al., 2013).
     */
    record Momentum(double learningRate, double momentum, boolean nesterov) implements OptimizerSpec {
        /** The usual momentum coefficient. */
        public static final double DEFAULT_MOMENTUM = 0.9;

        public Momentum {
            requirePositiveFinite("learningRate", learningRate);
            requireFraction("momentum", momentum);
        }

        @Override
        public String wireName() {
            return "momentum";
        }

        @Override
        public Optimizer newState(int[] slotLengths) {
            return new Optimizer.MomentumState(this, slotLengths);
        }
    }

    /**
     * RMSprop (Hinton, Lecture 6e): {@code s ← ρ·s + (1−ρ)·g²; θ ← θ − η·g/(√s + ε)}.
     */
    record RmsProp(double learningRate, double rho, double epsilon) implements OptimizerSpec {
        /** Keras' defaults. */
        public static final double DEFAULT_RHO = 0.9;
        public static final double DEFAULT_EPSILON = 1e-7;

        public RmsProp {
            requirePositiveFinite("learningRate", learningRate);
            requireFraction("rho", rho);
            requirePositiveFinite("epsilon", epsilon);
        }

        @Override
        public String wireName() {
            return "rmsprop";
        }

        @Override
        public Optimizer newState(int[] slotLengths) {
            return new Optimizer.RmsPropState(this, slotLengths);
        }
    }

    /**
     * Adam (Kingma &amp; Ba, 2015, Algorithm 1): bias-corrected first and second moment estimates,
     * {@code θ ← θ − η·m̂/(√v̂ + ε)}. Defaults are the paper's: β₁ 0.9, β₂ 0.999, ε 1e-8.
     */
    record Adam(double learningRate, double beta1, double beta2, double epsilon) implements OptimizerSpec {
        public static final double DEFAULT_LEARNING_RATE = 0.001;
        public static final double DEFAULT_BETA1 = 0.9;
        public static final double DEFAULT_BETA2 = 0.999;
        public static final double DEFAULT_EPSILON = 1e-8;

        public Adam {
            requirePositiveFinite("learningRate", learningRate);
            requireFraction("beta1", beta1);
            requireFraction("beta2", beta2);
            requirePositiveFinite("epsilon", epsilon);
        }

        /** Adam with the paper's defaults and the given learning rate. */
        public static Adam withLearningRate(double learningRate) {
            return new Adam(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
        }

        @Override
        public String wireName() {
            return "adam";
        }

        @Override
        public Optimizer newState(int[] slotLengths) {
            return new Optimizer.AdamState(this, slotLengths);
        }
    }
}
