package dev.backprop.nn;

import static dev.backprop.Tolerances.EXACT;
import static dev.backprop.Tolerances.HAND_ROUNDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Two steps of each optimizer on one linear neuron {@code p = w·x + b} with mse, from {@code w = 0.5},
 * {@code b = 0}, one sample {@code x = 1, y = 2}, learning rate 0.1. Then {@code ∂L/∂w = ∂L/∂b = 2(p − y)}:
 * −3 at the first step.
 */
class OptimizerTest {

    private static double[][] twoSteps(OptimizerSpec optimizer) {
        NetworkSpec spec = NetworkSpec.of(1, List.of(), 1, Activation.linear());
        Network network = Network.withParameters(spec, new double[][]{{0.5}, {0.0}});
        LabeledData data = LabeledData.of(new double[][]{{1}}, new double[][]{{2}});
        new Trainer().train(network, data, null, TrainingSpec.basic(Task.REGRESSION, Loss.MSE, optimizer, 2, 0),
                new SplittableRandom(1), CancellationToken.NONE, EpochListener.NONE);
        return network.parameters();
    }

    @Test
    void sgd() {
        // w1 = 0.5 + 0.1·3 = 0.8; p = 1.1, g = −1.8; w2 = 0.8 + 0.18 = 0.98
        double[][] p = twoSteps(new OptimizerSpec.Sgd(0.1));
        assertThat(p[0][0]).isCloseTo(0.98, within(EXACT));
        assertThat(p[1][0]).isCloseTo(0.48, within(EXACT));
    }

    @Test
    void momentum() {
        // v1 = 0.3, w1 = 0.8; g2 = −1.8, v2 = 0.27 + 0.18 = 0.45, w2 = 1.25
        double[][] p = twoSteps(new OptimizerSpec.Momentum(0.1, 0.9, false));
        assertThat(p[0][0]).isCloseTo(1.25, within(EXACT));
        assertThat(p[1][0]).isCloseTo(0.75, within(EXACT));
    }

    @Test
    void nesterov() {
        // v1 = 0.3, w1 = 0.5 + 0.27 + 0.3 = 1.07; p = 1.64, g2 = −0.72, v2 = 0.342, w2 = 1.07 + 0.3078 + 0.072
        double[][] p = twoSteps(new OptimizerSpec.Momentum(0.1, 0.9, true));
        assertThat(p[0][0]).isCloseTo(1.4498, within(EXACT));
        assertThat(p[1][0]).isCloseTo(0.9498, within(EXACT));
    }

    @Test
    void rmsprop() {
        // s1 = 0.1·9 = 0.9, w1 = 0.5 + 0.3/√0.9 = 0.8162278; g2 = −1.7350889, s2 = 0.81 + 0.30105 = 1.11105,
        // w2 = w1 + 0.17350889/√1.11105 = 0.9808370
        double[][] p = twoSteps(new OptimizerSpec.RmsProp(0.1, 0.9, 1e-7));
        assertThat(p[0][0]).isCloseTo(0.9808370, within(HAND_ROUNDED));
        assertThat(p[1][0]).isCloseTo(0.4808370, within(HAND_ROUNDED));
    }

    @Test
    void adam() {
        // step 1: m̂ = −3, v̂ = 9, w1 = 0.5 + 0.1 = 0.6; step 2: g = −2.6, m = −0.53, v = 0.015751,
        // m̂ = −0.53/0.19 = −2.789474, v̂ = 0.015751/0.001999 = 7.879440, w2 = 0.6 + 0.1·2.789474/2.807034
        double[][] p = twoSteps(OptimizerSpec.Adam.withLearningRate(0.1));
        assertThat(p[0][0]).isCloseTo(0.6993744, within(HAND_ROUNDED));
        assertThat(p[1][0]).isCloseTo(0.1993744, within(HAND_ROUNDED));
    }

    @Test
    void eachRunGetsFreshState() {
        OptimizerSpec momentum = new OptimizerSpec.Momentum(0.1, 0.9, false);
        assertThat(twoSteps(momentum)[0][0]).isEqualTo(twoSteps(momentum)[0][0]);
    }

    @Test
    void rejectsInvalidHyperparameters() {
        assertThatThrownBy(() -> new OptimizerSpec.Sgd(0)).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new OptimizerSpec.Sgd(Double.NaN)).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new OptimizerSpec.Momentum(0.1, 1.0, false)).hasMessageContaining("momentum");
        assertThatThrownBy(() -> new OptimizerSpec.Adam(0.1, 0.9, 1.5, 1e-8)).hasMessageContaining("beta2");
        assertThatThrownBy(() -> new OptimizerSpec.RmsProp(0.1, 0.9, 0)).hasMessageContaining("epsilon");
    }
}
