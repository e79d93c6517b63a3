package dev.backprop.nn;

import static dev.backprop.Tolerances.GRADIENT_CHECK_ABSOLUTE_FLOOR;
import static dev.backprop.Tolerances.GRADIENT_CHECK_MAX_RELATIVE_ERROR;
import static dev.backprop.Tolerances.GRADIENT_CHECK_STEP;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backpropagation against central finite differences, in the manner of deeplearning4j's
 * GradientCheckUtil: every hidden activation with every output activation and the losses it may pair
 * with, one to three hidden layers, with and without L1/L2, batch sizes 1 and 4.
 */
class GradientCheckTest {

    private static final List<Activation> HIDDEN = List.of(Activation.sigmoid(), Activation.tanh(), Activation.relu(),
            Activation.leakyRelu(0.1), Activation.elu(1.0), Activation.linear());

    record OutputPairing(Activation activation, Loss loss, int units) {
    }

    static List<OutputPairing> outputPairings() {
        List<OutputPairing> pairings = new ArrayList<>();
        for (Activation.Kind kind : Activation.Kind.values()) {
            Activation activation = kind == Activation.Kind.LEAKY_RELU ? Activation.leakyRelu(0.1)
                    : kind == Activation.Kind.ELU ? Activation.elu(1.0) : new Activation(kind, 0);
            int units = kind == Activation.Kind.SOFTMAX ? 3 : 2;
            pairings.add(new OutputPairing(activation, Loss.MSE, units));
            pairings.add(new OutputPairing(activation, Loss.MAE, units));
        }
        pairings.add(new OutputPairing(Activation.sigmoid(), Loss.BINARY_CROSSENTROPY, 1));
        pairings.add(new OutputPairing(Activation.sigmoid(), Loss.BINARY_CROSSENTROPY, 2));
        pairings.add(new OutputPairing(Activation.softmax(), Loss.CATEGORICAL_CROSSENTROPY, 3));
        return pairings;
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        int index = 0;
        for (Activation hidden : HIDDEN) {
            for (OutputPairing output : outputPairings()) {
                int depth = 1 + index++ % 3;
                for (int batch : new int[]{1, 4}) {
                    for (boolean regularized : new boolean[]{false, true}) {
                        cases.add(Arguments.of(hidden.wireName(), output.activation().wireName(), output.loss().wireName(),
                                depth, batch, regularized, false, hidden, output));
                    }
                }
                // Class weights scale each row's loss: checked on a batch whose rows weigh differently.
                cases.add(Arguments.of(hidden.wireName(), output.activation().wireName(), output.loss().wireName(),
                        depth, 4, false, true, hidden, output));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} hidden x{3}, {1} output, {2}, batch {4}, l1/l2 {5}, row weights {6}")
    @MethodSource("cases")
    void analyticGradientsMatchCentralDifferences(String hiddenName, String outputName, String lossName, int depth,
                                                  int batch, boolean regularized, boolean weighted, Activation hidden,
                                                  OutputPairing output) {
        SplittableRandom random = new SplittableRandom(31L * depth + batch);
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            layers.add(LayerSpec.of(3 + i, hidden));
        }
        NetworkSpec spec = new NetworkSpec(3, layers, output.units(), output.activation(), Initializer.xavier());
        Network network = Network.initialize(spec, random);
        // Biases start at zero; move them so that their gradients are exercised off the symmetric point.
        for (int slot = 1; slot < network.slotCount(); slot += 2) {
            double[] bias = network.parameterSlot(slot);
            for (int i = 0; i < bias.length; i++) {
                bias[i] = random.nextDouble(-0.5, 0.5);
            }
        }
        double[] x = new double[batch * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        double[] y = targets(output, batch, random);
        double l1 = regularized ? 0.01 : 0;
        double l2 = regularized ? 0.02 : 0;
        double[] rowWeights = weighted ? new double[]{0.5, 2.0, 0.0, 3.0} : null;

        network.lossAndGradients(x, y, batch, output.loss(), l1, l2, rowWeights, null);
        double[][] analytic = new double[network.slotCount()][];
        for (int slot = 0; slot < analytic.length; slot++) {
            analytic[slot] = network.gradientSlot(slot).clone();
        }

        for (int slot = 0; slot < network.slotCount(); slot++) {
            double[] parameters = network.parameterSlot(slot);
            for (int i = 0; i < parameters.length; i++) {
                double original = parameters[i];
                parameters[i] = original + GRADIENT_CHECK_STEP;
                double plus = network.lossAndGradients(x, y, batch, output.loss(), l1, l2, rowWeights, null);
                parameters[i] = original - GRADIENT_CHECK_STEP;
                double minus = network.lossAndGradients(x, y, batch, output.loss(), l1, l2, rowWeights, null);
                parameters[i] = original;
                double numeric = (plus - minus) / (2 * GRADIENT_CHECK_STEP);
                double difference = Math.abs(numeric - analytic[slot][i]);
                double relative = difference / Math.max(Math.abs(numeric), Math.abs(analytic[slot][i]));
                assertThat(difference <= GRADIENT_CHECK_ABSOLUTE_FLOOR || relative <= GRADIENT_CHECK_MAX_RELATIVE_ERROR)
                        .as("slot %d index %d: analytic %s, numeric %s", slot, i, analytic[slot][i], numeric)
                        .isTrue();
            }
        }
    }

    private static double[] targets(OutputPairing output, int batch, SplittableRandom random) {
        int units = output.units();
        double[] y = new double[batch * units];
        for (int r = 0; r < batch; r++) {
            if (output.loss() == Loss.CATEGORICAL_CROSSENTROPY) {
                y[r * units + random.nextInt(units)] = 1;
            } else {
                for (int c = 0; c < units; c++) {
                    y[r * units + c] = output.loss() == Loss.BINARY_CROSSENTROPY ? random.nextInt(2) : random.nextDouble(0.05, 0.95);
                }
            }
        }
        return y;
    }
}
