package dev.backprop.search;

import dev.backprop.nn.LayerSpec;
import dev.backprop.nn.Network;
import dev.backprop.nn.NetworkSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges k trained networks of one architecture into one dense network whose output layer's pre-activation is the
 * mean of theirs: an ensemble (Lakshminarayanan et al., "Simple and Scalable Predictive Uncertainty Estimation using
 * Deep Ensembles", NeurIPS 2017) that predicts, evaluates, exports and is stored as any other network.
 *
 * <p>The math. For members {@code m = 1..k} with hidden layers {@code h_1..h_n} and output pre-activation
 * {@code z_m(x) = a_m(x) W_m + b_m}, the merged network has hidden layers of {@code k·h_l} units, the members' units
 * side by side: its first layer is the members' first-layer weights as column blocks (they read the same inputs),
 * every later hidden layer is block-diagonal (member m's units feed only member m's units, the off-diagonal blocks are
 * zero), and its output layer stacks the members' output weights as row blocks, each divided by k, with the mean of
 * their biases. So {@code z(x) = Σ_m a_m(x) W_m / k + Σ_m b_m / k = (1/k) Σ_m z_m(x)} exactly (up to the order of the
 * additions), and the output activation applies to that mean: for an identity output (regression) the prediction is
 * the mean of the members' predictions; for a softmax or sigmoid output it is the softmax (sigmoid) of the mean logit,
 * the normalised geometric mean of the members' class probabilities.
 */
final class NetworkEnsemble {

    /** How {@link #merge} merges, as a model's provenance says it. */
    static final String MERGED = "one network: the members' hidden units side by side (block-diagonal from the second hidden "
            + "layer on), its output the mean of the members' output pre-activations (logits)";

    private NetworkEnsemble() {
    }

    /**
     * The one network that averages {@code members}' output pre-activations.
     *
     * @throws IllegalArgumentException when there are no members or their architectures differ
     */
    static Network merge(List<Network> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        NetworkSpec spec = members.get(0).spec();
        for (Network member : members) {
            if (!member.spec().equals(spec)) {
                throw new IllegalArgumentException("ensemble members differ in architecture: " + spec + " and " + member.spec());
            }
        }
        int k = members.size();
        List<LayerSpec> wide = new ArrayList<>();
        for (LayerSpec layer : spec.hiddenLayers()) {
            wide.add(new LayerSpec(layer.units() * k, layer.activation(), layer.dropout()));
        }
        NetworkSpec merged = new NetworkSpec(spec.inputSize(), wide, spec.outputUnits(), spec.outputActivation(),
                spec.initializer(), spec.precision());
        List<double[][]> parameters = members.stream().map(Network::parameters).toList();
        int layers = spec.hiddenLayers().size() + 1;
        double[][] slots = new double[2 * layers][];
        int fanIn = spec.inputSize();
        for (int layer = 0; layer < layers; layer++) {
            boolean output = layer == layers - 1;
            int units = output ? spec.outputUnits() : spec.hiddenLayers().get(layer).units();
            // the first layer's inputs are shared; later layers read their own member's block of the layer below
            int mergedFanIn = layer == 0 ? fanIn : fanIn * k;
            // hidden units sit side by side; the output units are shared and take the mean
            int mergedUnits = output ? units : units * k;
            double scale = output ? 1.0 / k : 1.0;
            double[] weights = new double[mergedFanIn * mergedUnits];
            double[] bias = new double[mergedUnits];
            for (int m = 0; m < k; m++) {
                double[] memberWeights = parameters.get(m)[2 * layer];
                double[] memberBias = parameters.get(m)[2 * layer + 1];
                int rowOffset = layer == 0 ? 0 : m * fanIn;
                int columnOffset = output ? 0 : m * units;
                for (int i = 0; i < fanIn; i++) {
                    for (int j = 0; j < units; j++) {
                        weights[(rowOffset + i) * mergedUnits + columnOffset + j] += scale * memberWeights[i * units + j];
                    }
                }
                for (int j = 0; j < units; j++) {
                    bias[columnOffset + j] += scale * memberBias[j];
                }
            }
            slots[2 * layer] = weights;
            slots[2 * layer + 1] = bias;
            fanIn = units;
        }
        return Network.withParameters(merged, slots);
    }
}
