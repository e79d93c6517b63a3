package dev.backprop.nn;

import static dev.backprop.Tolerances.EXACT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Predictions reuse pooled buffers: they must not depend on what ran before or alongside them. */
class NetworkPredictTest {

    private static final NetworkSpec SPEC = NetworkSpec.of(5,
            List.of(LayerSpec.of(7, Activation.relu()), LayerSpec.of(6, Activation.tanh())), 3, Activation.softmax());

    /** The forward pass by hand, one row at a time, with no BLAS and no buffers shared. */
    private static double[] byHand(Network network, double[] row) {
        double[] input = row;
        double[][] parameters = network.parameters();
        int fanIn = SPEC.inputSize();
        for (int layer = 0; layer < parameters.length / 2; layer++) {
            double[] weights = parameters[2 * layer];
            double[] bias = parameters[2 * layer + 1];
            int units = bias.length;
            double[] z = new double[units];
            for (int u = 0; u < units; u++) {
                z[u] = bias[u];
                for (int i = 0; i < fanIn; i++) {
                    z[u] += input[i] * weights[i * units + u];
                }
            }
            Activation activation = layer < SPEC.hiddenLayers().size() ? SPEC.hiddenLayers().get(layer).activation() : SPEC.outputActivation();
            double[] a = new double[units];
            activation.forward(z, a, 1, units);
            input = a;
            fanIn = units;
        }
        return input;
    }

    /**
     * A batch whose every product the split cuts into the same blocks of rows runs each block's whole forward pass on
     * one thread: it must give the layer-by-layer split's numbers (the validation pass's path) to the last bit, float32
     * included, whose native sgemm rounds a block differently from the whole product.
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void aBatchCutIntoBlocksOfRowsPredictsTheLayerByLayerSplitsBits(Precision precision) {
        Assumptions.assumeTrue(ParallelBlocks.threads() > 1, "one thread: nothing is split");
        NetworkSpec spec = new NetworkSpec(784, List.of(LayerSpec.of(256, Activation.relu()), LayerSpec.of(128, Activation.relu())),
                10, Activation.softmax(), Initializer.xavier(), precision);
        Network network = Network.initialize(spec, new SplittableRandom(3));
        int rows = 1000;
        SplittableRandom random = new SplittableRandom(4);
        double[] features = random.doubles(rows * 784L, -2, 2).toArray();
        double[] targets = new double[rows * 10];
        for (int r = 0; r < rows; r++) {
            targets[r * 10 + random.nextInt(10)] = 1;
        }
        assertThat(Gemm.rowBlockStarts(rows, 256, 784, precision)).as("the T4 batch is cut into blocks of rows").isNotNull();

        double[] predicted = network.predict(features, rows);
        double[] layerByLayer = network.evaluate(new LabeledData(features, targets, rows, 784, 10), Loss.CATEGORICAL_CROSSENTROPY, 0, 0)
                .predictions();

        assertThat(predicted).containsExactly(layerByLayer);
    }

    @Test
    void everyBatchSizeGivesTheRowByRowAnswerWhateverRanBefore() {
        Network network = Network.initialize(SPEC, new SplittableRandom(7));
        SplittableRandom random = new SplittableRandom(8);
        // sizes across the pool's classes, in an order that hands out buffers used by other sizes
        for (int rows : new int[]{1, 3, 1024, 2, 1500, 1, 64, 1025, 3}) {
            double[] features = random.doubles(rows * 5L, -2, 2).toArray();
            double[] predicted = network.predict(features, rows);
            assertThat(predicted).hasSize(rows * 3);
            for (int r = 0; r < rows; r++) {
                double[] row = java.util.Arrays.copyOfRange(features, r * 5, r * 5 + 5);
                double[] expected = byHand(network, row);
                for (int c = 0; c < 3; c++) {
                    assertThat(predicted[r * 3 + c]).as("rows %d, row %d, output %d", rows, r, c)
                            .isCloseTo(expected[c], within(EXACT));
                }
            }
        }
    }

    @Test
    void concurrentPredictionsDoNotShareBuffers() throws Exception {
        Network network = Network.initialize(SPEC, new SplittableRandom(9));
        SplittableRandom random = new SplittableRandom(10);
        int tasks = 8;
        List<double[]> inputs = new ArrayList<>();
        List<double[]> expected = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            int rows = 1 + t * 37;
            double[] features = random.doubles(rows * 5L, -2, 2).toArray();
            inputs.add(features);
            expected.add(network.predict(features, rows));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                int task = t;
                Callable<Boolean> repeat = () -> {
                    for (int i = 0; i < 300; i++) {
                        double[] features = inputs.get(task);
                        if (!java.util.Arrays.equals(network.predict(features, features.length / 5), expected.get(task))) {
                            return false;
                        }
                    }
                    return true;
                };
                results.add(pool.submit(repeat));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
