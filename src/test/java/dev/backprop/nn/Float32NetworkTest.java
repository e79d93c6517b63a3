package dev.backprop.nn;

import static dev.backprop.Tolerances.FLOAT32_NETWORK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A float32 network computes its products in float32 and everything else in float64 (see
 * {@link Precision}): it must agree with the float64 network to float32's rounding, differ from it
 * (or it is not computing in float32 at all), train as well, and stay reproducible.
 */
class Float32NetworkTest {

    /** Large enough that every product of a 64-row batch goes to the native BLAS where there is one. */
    private static final NetworkSpec SPEC = NetworkSpec.of(120,
            List.of(LayerSpec.of(96, Activation.relu()), LayerSpec.of(64, Activation.tanh())), 5, Activation.softmax());
    private static final int ROWS = 64;

    private static Network[] bothPrecisions(NetworkSpec spec, long seed) {
        Network float64 = Network.initialize(spec, new SplittableRandom(seed));
        Network float32 = Network.withParameters(spec.withPrecision(Precision.FLOAT32), float64.parameters());
        return new Network[]{float64, float32};
    }

    private static double[] oneHotTargets(SplittableRandom random, int rows, int classes) {
        double[] targets = new double[rows * classes];
        for (int r = 0; r < rows; r++) {
            targets[r * classes + random.nextInt(classes)] = 1;
        }
        return targets;
    }

    @Test
    void float32GradientsMatchFloat64GradientsToFloatRoundingButAreNotTheSame() {
        Network[] networks = bothPrecisions(SPEC, 1);
        SplittableRandom random = new SplittableRandom(2);
        double[] features = random.doubles((long) ROWS * SPEC.inputSize(), -1, 1).toArray();
        double[] targets = oneHotTargets(random, ROWS, SPEC.outputUnits());

        double loss64 = networks[0].lossAndGradients(features, targets, ROWS, Loss.CATEGORICAL_CROSSENTROPY, 0, 1e-3, null, null);
        double loss32 = networks[1].lossAndGradients(features, targets, ROWS, Loss.CATEGORICAL_CROSSENTROPY, 0, 1e-3, null, null);

        assertThat(loss32).isCloseTo(loss64, within(FLOAT32_NETWORK * Math.abs(loss64)));
        boolean anyDifferent = false;
        for (int slot = 0; slot < networks[0].slotCount(); slot++) {
            double[] exact = networks[0].gradientSlot(slot);
            double[] rounded = networks[1].gradientSlot(slot);
            double scale = 0;
            for (double g : exact) {
                scale = Math.max(scale, Math.abs(g));
            }
            for (int i = 0; i < exact.length; i++) {
                // sums of up to 120 products, each rounded to 24 bits
                assertThat(rounded[i]).as("slot %d, element %d", slot, i).isCloseTo(exact[i], within(FLOAT32_NETWORK * scale));
                anyDifferent |= rounded[i] != exact[i];
            }
        }
        assertThat(anyDifferent).as("float32 products round differently from float64 ones").isTrue();
    }

    @Test
    void float32PredictionsMatchFloat64PredictionsForEveryBatchSize() {
        Network[] networks = bothPrecisions(SPEC, 3);
        SplittableRandom random = new SplittableRandom(4);
        for (int rows : new int[]{1, 7, 300, 1500}) {
            double[] features = random.doubles((long) rows * SPEC.inputSize(), -1, 1).toArray();
            double[] exact = networks[0].predict(features, rows);
            double[] rounded = networks[1].predict(features, rows);
            assertThat(rounded).as("%d rows", rows).containsExactly(exact, within(FLOAT32_NETWORK));
            assertThat(rounded).as("%d rows computed in float32", rows).isNotEqualTo(exact);
        }
    }

    @Test
    void float32FeaturesGoStraightToAFloat32NetworkWithTheSameAnswer() {
        Network[] networks = bothPrecisions(SPEC, 7);
        int rows = 1100;  // more than one inference chunk
        float[] features = assertFloat32FeaturesGiveTheWidenedFeaturesBits(networks[1], rows);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> networks[0].predict(features, rows))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("float64");
    }

    /**
     * Float32 features are read where they lie (no copy into the network's buffer), float64 ones are narrowed into it:
     * both must give the same bits, for the T4 network's 1,000-row batch (two row blocks, the second read at an offset)
     * and for a first layer of one unit (one-column products, the second chunk's at an offset).
     */
    @Test
    void float32FeaturesReadInPlaceGiveTheBitsOfTheNarrowedCopy() {
        NetworkSpec t4 = new NetworkSpec(784, List.of(LayerSpec.of(256, Activation.relu()), LayerSpec.of(128, Activation.relu())),
                10, Activation.softmax(), Initializer.xavier(), Precision.FLOAT32);
        assertFloat32FeaturesGiveTheWidenedFeaturesBits(Network.initialize(t4, new SplittableRandom(3)), 1000);
        NetworkSpec oneUnit = NetworkSpec.of(40, List.of(LayerSpec.of(1, Activation.tanh())), 3, Activation.softmax())
                .withPrecision(Precision.FLOAT32);
        assertFloat32FeaturesGiveTheWidenedFeaturesBits(Network.initialize(oneUnit, new SplittableRandom(4)), 1100);
    }

    /** Predicts random float32 features and the same values widened to float64, expects the same bits; returns the features. */
    private static float[] assertFloat32FeaturesGiveTheWidenedFeaturesBits(Network float32, int rows) {
        SplittableRandom random = new SplittableRandom(8);
        float[] features = new float[rows * float32.spec().inputSize()];
        double[] widened = new double[features.length];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) random.nextDouble(-1, 1);
            widened[i] = features[i];
        }
        assertThat(float32.predict(features, rows)).containsExactly(float32.predict(widened, rows));
        return features;
    }

    @Test
    void aFloat32NetworkLearnsXorWithTheTutorialsNetwork() {
        NetworkSpec spec = NetworkSpec.of(2, List.of(LayerSpec.of(4, Activation.sigmoid())), 1, Activation.sigmoid())
                .withPrecision(Precision.FLOAT32);
        SplittableRandom random = new SplittableRandom(42);
        Network network = Network.initialize(spec, random);
        LabeledData xor = TutorialData.xor();
        TrainingSpec training = TrainingSpec.basic(Task.CLASSIFICATION, Loss.MSE, new OptimizerSpec.Sgd(0.5), 5_000, 0);
        new Trainer().train(network, xor, null, training, random, CancellationToken.NONE, EpochListener.NONE);
        double[] predicted = network.predict(xor.features(), xor.rows());
        for (int r = 0; r < xor.rows(); r++) {
            assertThat(predicted[r] > 0.5).as("row %d", r).isEqualTo(xor.targets()[r] == 1);
        }
    }

    @Test
    void float32TrainingIsReproducibleAndEndsCloseToFloat64Training() {
        SplittableRandom data = new SplittableRandom(5);
        int rows = 512;
        double[] features = data.doubles((long) rows * SPEC.inputSize(), -1, 1).toArray();
        double[] targets = oneHotTargets(data, rows, SPEC.outputUnits());
        LabeledData training = new LabeledData(features, targets, rows, SPEC.inputSize(), SPEC.outputUnits());
        TrainingSpec spec = TrainingSpec.basic(Task.CLASSIFICATION, Loss.CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Sgd(0.05), 3, 32);

        double[][] float64 = train(SPEC, training, spec);
        double[][] first = train(SPEC.withPrecision(Precision.FLOAT32), training, spec);
        double[][] second = train(SPEC.withPrecision(Precision.FLOAT32), training, spec);

        assertThat(second).isDeepEqualTo(first);
        for (int slot = 0; slot < float64.length; slot++) {
            assertThat(first[slot]).as("slot %d", slot).containsExactly(float64[slot], within(FLOAT32_NETWORK));
        }
    }

    private static double[][] train(NetworkSpec networkSpec, LabeledData data, TrainingSpec spec) {
        SplittableRandom random = new SplittableRandom(6);
        Network network = Network.initialize(networkSpec, random);
        new Trainer().train(network, data, null, spec, random, CancellationToken.NONE, EpochListener.NONE);
        return network.parameters();
    }

    @Test
    void precisionsAreNamedOnTheWire() {
        assertThat(Precision.named("float32")).isEqualTo(Precision.FLOAT32);
        assertThat(Precision.FLOAT64.wireName()).isEqualTo("float64");
        assertThat(NetworkSpec.of(1, List.of(), 1, Activation.linear()).precision()).isEqualTo(Precision.FLOAT64);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Precision.named("float16"))
                .hasMessage("unknown precision 'float16'; expected float64 or float32");
    }
}
