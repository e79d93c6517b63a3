package dev.backprop.nn;

/**
 * The mutable state of one run's optimizer. Each parameter array of the network is a "slot" with its
 * own state; {@link #beginStep()} is called once per mini-batch before the slots are updated.
 */
public abstract sealed class Optimizer {

    private Optimizer() {
    }

    /** Starts a new update step (Adam counts steps for its bias correction). */
    void beginStep() {
    }

    /**
     * Updates elements {@code [from, to)} of {@code params} in place from {@code grads} for one slot.
     * Every element's update depends only on that element, so a slot may be updated in disjoint
     * ranges concurrently (between {@link #beginStep()} calls).
     *
     * @param slot         index of the parameter array, stable for the run
     * @param learningRate the learning rate of this step (after any schedule)
     */
    abstract void updateInPlace(int slot, double[] params, double[] grads, double learningRate, int from, int to);

    static final class PlainSgd extends Optimizer {
        @Override
        void updateInPlace(int slot, double[] params, double[] grads, double learningRate, int from, int to) {
            for (int i = from; i < to; i++) {
                params[i] -= learningRate * grads[i];
            }
        }
    }

    static final class MomentumState extends Optimizer {
        private final double momentum;
        private final boolean nesterov;
        private final double[][] velocity;

        MomentumState(OptimizerSpec.Momentum spec, int[] slotLengths) {
            this.momentum = spec.momentum();
            this.nesterov = spec.nesterov();
            this.velocity = allocate(slotLengths);
        }

        @Override
        void updateInPlace(int slot, double[] params, double[] grads, double learningRate, int from, int to) {
            double[] v = velocity[slot];
            for (int i = from; i < to; i++) {
                v[i] = momentum * v[i] - learningRate * grads[i];
                params[i] += nesterov ? momentum * v[i] - learningRate * grads[i] : v[i];
            }
        }
    }

    static final class RmsPropState extends Optimizer {
        private final double rho;
        private final double epsilon;
        private final double[][] meanSquare;

        RmsPropState(OptimizerSpec.RmsProp spec, int[] slotLengths) {
            this.rho = spec.rho();
            this.epsilon = spec.epsilon();
            this.meanSquare = allocate(slotLengths);
        }

        @Override
        void updateInPlace(int slot, double[] params, double[] grads, double learningRate, int from, int to) {
            double[] s = meanSquare[slot];
            for (int i = from; i < to; i++) {
                double g = grads[i];
                s[i] = rho * s[i] + (1 - rho) * g * g;
                params[i] -= learningRate * g / (Math.sqrt(s[i]) + epsilon);
            }
        }
    }

    static final class AdamState extends Optimizer {
        private final double beta1;
        private final double beta2;
        private final double epsilon;
        private final double[][] firstMoment;
        private final double[][] secondMoment;
        private long step;
        private double firstCorrection;
        private double secondCorrection;

        AdamState(OptimizerSpec.Adam spec, int[] slotLengths) {
            this.beta1 = spec.beta1();
            this.beta2 = spec.beta2();
            this.epsilon = spec.epsilon();
            this.firstMoment = allocate(slotLengths);
            this.secondMoment = allocate(slotLengths);
        }

        @Override
        void beginStep() {
            step++;
            firstCorrection = 1 - Math.pow(beta1, step);
            secondCorrection = 1 - Math.pow(beta2, step);
        }

        @Override
        void updateInPlace(int slot, double[] params, double[] grads, double learningRate, int from, int to) {
            double[] m = firstMoment[slot];
            double[] v = secondMoment[slot];
            for (int i = from; i < to; i++) {
                double g = grads[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double mHat = m[i] / firstCorrection;
                double vHat = v[i] / secondCorrection;
                params[i] -= learningRate * mHat / (Math.sqrt(vHat) + epsilon);
            }
        }
    }

    private static double[][] allocate(int[] slotLengths) {
        double[][] state = new double[slotLengths.length][];
        for (int i = 0; i < slotLengths.length; i++) {
            state[i] = new double[slotLengths[i]];
        }
        return state;
    }
}
