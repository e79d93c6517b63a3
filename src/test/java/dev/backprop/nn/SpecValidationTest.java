package dev.backprop.nn;

import static dev.backprop.Tolerances.SAMPLE_VARIANCE_RELATIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpecValidationTest {

    @Test
    void badNetworkSpecsNameTheLayerAndReason() {
        assertThatThrownBy(() -> NetworkSpec.of(2, List.of(LayerSpec.of(4, Activation.relu()), LayerSpec.of(0, Activation.relu())),
                1, Activation.sigmoid())).hasMessage("hidden layer 2: units must be >= 1, was 0");
        assertThatThrownBy(() -> NetworkSpec.of(2, List.of(LayerSpec.of(4, Activation.softmax())), 1, Activation.sigmoid()))
                .hasMessage("hidden layer 1: softmax is only allowed on the output layer");
        assertThatThrownBy(() -> NetworkSpec.of(2, List.of(new LayerSpec(4, Activation.relu(), 1.0)), 1, Activation.sigmoid()))
                .hasMessageContaining("hidden layer 1: dropout must be in [0, 1)");
        assertThatThrownBy(() -> NetworkSpec.of(2, List.of(), 1, Activation.softmax()))
                .hasMessageContaining("output layer: softmax on a single unit");
        assertThatThrownBy(() -> NetworkSpec.of(0, List.of(), 1, Activation.sigmoid()))
                .hasMessageContaining("input size must be >= 1");
        NetworkSpec softmax = NetworkSpec.of(2, List.of(), 3, Activation.softmax());
        assertThatThrownBy(() -> softmax.requireCompatible(Loss.BINARY_CROSSENTROPY))
                .hasMessageContaining("binary_crossentropy needs a sigmoid output, was softmax");
    }

    @Test
    void parameterCountCountsWeightsAndBiases() {
        NetworkSpec spec = NetworkSpec.of(784, List.of(LayerSpec.of(256, Activation.relu()), LayerSpec.of(128, Activation.relu())),
                10, Activation.softmax());
        assertThat(spec.parameterCount()).isEqualTo(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10);
    }

    @Test
    void namesParseAndUnknownNamesListTheKnownOnes() {
        assertThat(Activation.named("leaky_relu")).isEqualTo(Activation.leakyRelu(Activation.DEFAULT_LEAKY_SLOPE));
        assertThat(Loss.named("binary_crossentropy")).isEqualTo(Loss.BINARY_CROSSENTROPY);
        assertThat(Initializer.named("he")).isEqualTo(Initializer.he());
        assertThat(Monitor.named("val_loss")).isEqualTo(Monitor.VAL_LOSS);
        assertThatThrownBy(() -> Activation.named("swish")).hasMessageContaining("unknown activation 'swish'")
                .hasMessageContaining("leaky_relu");
        assertThatThrownBy(() -> Loss.named("hinge")).hasMessageContaining("unknown loss 'hinge'");
    }

    @Test
    void trainingSpecRejectsBadValues() {
        OptimizerSpec sgd = new OptimizerSpec.Sgd(0.1);
        assertThatThrownBy(() -> TrainingSpec.basic(Task.REGRESSION, Loss.MSE, sgd, 0, 0)).hasMessageContaining("epochs");
        assertThatThrownBy(() -> TrainingSpec.basic(Task.REGRESSION, Loss.MSE, sgd, 1, -1)).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> TrainingSpec.basic(Task.REGRESSION, Loss.MSE, sgd, 1, 0).withRegularization(-1, 0))
                .hasMessageContaining("l1");
        assertThatThrownBy(() -> TrainingSpec.basic(Task.REGRESSION, Loss.MSE, sgd, 1, 0).withRegularization(0, Double.NaN))
                .hasMessageContaining("l2");
        assertThatThrownBy(() -> new EarlyStoppingSpec(Monitor.LOSS, 0, 0)).hasMessageContaining("patience");
        assertThatThrownBy(() -> new LearningRateScheduleSpec.StepDecay(0, 0.5)).hasMessageContaining("everyEpochs");
    }

    @Test
    void defaultInitializerIsHeForTheReluFamilyAndXavierOtherwise() {
        assertThat(Initializer.defaultFor(Activation.relu())).isEqualTo(Initializer.he());
        assertThat(Initializer.defaultFor(Activation.elu(1))).isEqualTo(Initializer.he());
        assertThat(Initializer.defaultFor(Activation.tanh())).isEqualTo(Initializer.xavier());
    }

    @Test
    void initializersDrawWithTheirScale() {
        double[] w = new double[100_000];
        Initializer.he().initialize(w, 500, 200, new SplittableRandom(1));
        assertThat(variance(w)).isCloseTo(2.0 / 500, within(SAMPLE_VARIANCE_RELATIVE * 2.0 / 500));
        Initializer.xavier().initialize(w, 500, 200, new SplittableRandom(1));
        double limit = Math.sqrt(6.0 / 700);
        assertThat(java.util.Arrays.stream(w).allMatch(v -> Math.abs(v) <= limit)).isTrue();
        assertThat(variance(w)).isCloseTo(limit * limit / 3, within(SAMPLE_VARIANCE_RELATIVE * limit * limit / 3));
        Initializer.normal(0.1).initialize(w, 500, 200, new SplittableRandom(1));
        assertThat(variance(w)).isCloseTo(0.01, within(SAMPLE_VARIANCE_RELATIVE * 0.01));
    }

    @Test
    void torchDefaultDrawsWeightsAndBiasesUniformInOneOverRootFanIn() {
        assertThat(Initializer.named("torch_default")).isEqualTo(Initializer.torchDefault());
        NetworkSpec spec = new NetworkSpec(400, List.of(LayerSpec.of(300, Activation.relu())), 10, Activation.softmax(),
                Initializer.torchDefault());
        Network network = Network.initialize(spec, new SplittableRandom(3));
        double[] weights = network.parameterSlot(0);
        double[] bias = network.parameterSlot(1);
        double limit = 1 / Math.sqrt(400);
        assertThat(java.util.Arrays.stream(weights).allMatch(v -> Math.abs(v) <= limit)).isTrue();
        assertThat(java.util.Arrays.stream(bias).allMatch(v -> Math.abs(v) <= limit)).isTrue();
        assertThat(variance(weights)).isCloseTo(limit * limit / 3, within(SAMPLE_VARIANCE_RELATIVE * limit * limit / 3));
        // biases are drawn too, not left at zero as under the other schemes
        assertThat(variance(bias)).isCloseTo(limit * limit / 3, within(5 * SAMPLE_VARIANCE_RELATIVE * limit * limit / 3));
        double[] outputBias = network.parameterSlot(3);
        assertThat(java.util.Arrays.stream(outputBias).allMatch(v -> Math.abs(v) <= 1 / Math.sqrt(300))).isTrue();
        assertThat(java.util.Arrays.stream(outputBias).anyMatch(v -> v != 0)).isTrue();
        assertThat(Network.initialize(spec, new SplittableRandom(3)).parameterSlot(1)).isEqualTo(bias);
    }

    @Test
    void theOtherSchemesKeepZeroBiases() {
        NetworkSpec spec = new NetworkSpec(4, List.of(LayerSpec.of(5, Activation.relu())), 1, Activation.sigmoid(),
                Initializer.xavier());
        assertThat(Network.initialize(spec, new SplittableRandom(3)).parameterSlot(1)).containsOnly(0.0);
    }

    private static double variance(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v / values.length;
        }
        double variance = 0;
        for (double v : values) {
            variance += (v - mean) * (v - mean) / values.length;
        }
        return variance;
    }
}
