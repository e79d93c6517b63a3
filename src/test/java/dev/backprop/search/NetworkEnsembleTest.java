package dev.backprop.search;

import static dev.backprop.Tolerances.REORDERED_LONG_SUM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.nn.Activation;
import dev.backprop.nn.LayerSpec;
import dev.backprop.nn.Network;
import dev.backprop.nn.NetworkSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NetworkEnsembleTest {

    private static final int ROWS = 40;

    private static List<Network> members(NetworkSpec spec, int k) {
        List<Network> members = new ArrayList<>();
        for (int m = 0; m < k; m++) {
            Network network = Network.initialize(spec, new SplittableRandom(100 + m));
            // non-zero biases too, so that their mean is tested (initializers start them at zero)
            double[][] parameters = network.parameters();
            SplittableRandom random = new SplittableRandom(200 + m);
            for (int slot = 1; slot < parameters.length; slot += 2) {
                for (int i = 0; i < parameters[slot].length; i++) {
                    parameters[slot][i] = random.nextDouble(-0.5, 0.5);
                }
            }
            network.restore(parameters);
            members.add(network);
        }
        return members;
    }

    private static double[] features(int inputs) {
        SplittableRandom random = new SplittableRandom(9);
        double[] features = new double[ROWS * inputs];
        for (int i = 0; i < features.length; i++) {
            features[i] = random.nextDouble(-2, 2);
        }
        return features;
    }

    @Test
    void anIdentityOutputPredictsTheMeanOfTheMembersPredictions() {
        NetworkSpec spec = NetworkSpec.of(4, List.of(LayerSpec.of(6, Activation.relu()), LayerSpec.of(3, Activation.tanh())), 2,
                Activation.linear());
        List<Network> members = members(spec, 3);
        Network merged = NetworkEnsemble.merge(members);

        // the members' units side by side, the output shared
        assertThat(merged.spec().hiddenLayers()).extracting(LayerSpec::units).containsExactly(18, 9);
        assertThat(merged.spec().outputUnits()).isEqualTo(2);
        double[] x = features(4);
        double[] mean = new double[ROWS * 2];
        for (Network member : members) {
            double[] out = member.predict(x, ROWS);
            for (int i = 0; i < mean.length; i++) {
                mean[i] += out[i] / members.size();
            }
        }
        double[] ensemble = merged.predict(x, ROWS);
        for (int i = 0; i < mean.length; i++) {
            assertThat(ensemble[i]).as("output %d", i).isCloseTo(mean[i], within(REORDERED_LONG_SUM));
        }
        // the members are far apart, so a mean is not one of them
        assertThat(ensemble[0]).isNotCloseTo(members.get(0).predict(x, ROWS)[0], within(1e-3));
    }

    @Test
    void aSoftmaxOutputIsTheSoftmaxOfTheMeanLogit() {
        NetworkSpec spec = NetworkSpec.of(5, List.of(LayerSpec.of(7, Activation.relu())), 3, Activation.softmax());
        List<Network> members = members(spec, 5);
        Network merged = NetworkEnsemble.merge(members);

        double[] x = features(5);
        double[] ensemble = merged.predict(x, ROWS);
        // a softmax's log-probabilities are the logits less a constant per row, which the softmax of their mean drops
        double[] meanLog = new double[ROWS * 3];
        for (Network member : members) {
            double[] p = member.predict(x, ROWS);
            for (int i = 0; i < meanLog.length; i++) {
                meanLog[i] += Math.log(p[i]) / members.size();
            }
        }
        for (int row = 0; row < ROWS; row++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                sum += Math.exp(meanLog[row * 3 + c]);
            }
            for (int c = 0; c < 3; c++) {
                assertThat(ensemble[row * 3 + c]).as("row %d class %d", row, c)
                        .isCloseTo(Math.exp(meanLog[row * 3 + c]) / sum, within(REORDERED_LONG_SUM));
            }
        }
    }

    @Test
    void oneMemberIsItselfAndMembersOfOtherArchitecturesAreRefused() {
        NetworkSpec spec = NetworkSpec.of(3, List.of(LayerSpec.of(4, Activation.relu())), 1, Activation.linear());
        Network only = members(spec, 1).get(0);
        double[] x = features(3);
        assertThat(NetworkEnsemble.merge(List.of(only)).predict(x, ROWS)).containsExactly(only.predict(x, ROWS));

        Network wider = members(NetworkSpec.of(3, List.of(LayerSpec.of(5, Activation.relu())), 1, Activation.linear()), 1).get(0);
        assertThatThrownBy(() -> NetworkEnsemble.merge(List.of(only, wider))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("differ in architecture");
        assertThatThrownBy(() -> NetworkEnsemble.merge(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
