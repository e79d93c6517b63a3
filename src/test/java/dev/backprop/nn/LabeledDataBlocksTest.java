package dev.backprop.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Rows held in blocks train, validate and predict as the same rows in one array do, to the last bit. */
class LabeledDataBlocksTest {

    private static final NetworkSpec NET = NetworkSpec.of(3,
            List.of(new LayerSpec(8, Activation.relu(), 0.2), LayerSpec.of(6, Activation.tanh())), 1, Activation.sigmoid());

    /** The same rows with their features cut into blocks of {@code rowsPerBlock} rows (copied). */
    static LabeledData inBlocks(LabeledData data, int rowsPerBlock) {
        int blocks = LabeledData.blockCount(data.rows(), rowsPerBlock);
        double[][] featureBlocks = new double[blocks][];
        for (int b = 0; b < blocks; b++) {
            int rows = LabeledData.blockRows(data.rows(), rowsPerBlock, b);
            featureBlocks[b] = new double[rows * data.featureCount()];
            System.arraycopy(data.features(), b * rowsPerBlock * data.featureCount(), featureBlocks[b], 0, featureBlocks[b].length);
        }
        return new LabeledData(featureBlocks, rowsPerBlock, data.targets(), data.rows(), data.featureCount(), data.targetCount());
    }

    @Test
    void aSmallMatrixIsOneArrayAndALargeOneIsCutInMultiplesOfTheInferenceChunk() {
        assertThat(LabeledData.rowsPerBlock(100, 5)).isEqualTo(100);
        assertThat(LabeledData.rowsPerBlock(0, 5)).isEqualTo(1);
        assertThat(LabeledData.rowsPerBlock(1 << 18, 4)).isEqualTo(1 << 18);  // 2^20 values: still one array
        // T4's 60,000 training rows of 784 values: blocks of 1,024 rows (6.4 MB)
        assertThat(LabeledData.rowsPerBlock(60_000, 784)).isEqualTo(1_024);
        assertThat(LabeledData.blockCount(60_000, 1_024)).isEqualTo(59);
        assertThat(LabeledData.blockRows(60_000, 1_024, 58)).isEqualTo(60_000 - 58 * 1_024);
        assertThat(LabeledData.rowsPerBlock(500_000, 3)).isEqualTo(341 * 1_024);
        assertThat(LabeledData.rowsPerBlock(3_000, 5_000)).isEqualTo(1_024);  // wider than a block: one chunk a block
    }

    @Test
    void blocksMustMatchTheRowsAndAlignToTheChunkAndTheFlatViewIsOnlyForOneBlock() {
        LabeledData flat = TutorialData.synthetic(2_500, 1);
        LabeledData blocked = inBlocks(flat, 1_024);

        assertThat(blocked.featureBlocks().length).isEqualTo(3);
        assertThat(blocked.valueCount()).isEqualTo(flat.valueCount()).isEqualTo(2_500 * 4L);
        assertThatThrownBy(blocked::features).isInstanceOf(IllegalStateException.class).hasMessageContaining("3 blocks");
        assertThat(flat.features()).isSameAs(flat.featureBlocks()[0]);
        double[] row = new double[3];
        blocked.copyRow(2_100, row, 0);
        assertThat(row).containsExactly(java.util.Arrays.copyOfRange(flat.features(), 2_100 * 3, 2_101 * 3));
        assertThat(blocked.blockOf(2_100)).isSameAs(blocked.featureBlocks()[2]);
        assertThat(blocked.subset(new int[]{2_100, 5}).features()).isEqualTo(flat.subset(new int[]{2_100, 5}).features());
        assertThat(blocked.withTargets(new double[2_500]).featureBlocks()).isSameAs(blocked.featureBlocks());

        assertThatThrownBy(() -> inBlocks(flat, 1_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of 1024");
        double[][] short_ = blocked.featureBlocks().clone();
        short_[2] = new double[3];
        assertThatThrownBy(() -> new LabeledData(short_, 1_024, flat.targets(), 2_500, 3, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block 2");
        assertThatThrownBy(() -> new LabeledData(new double[][]{flat.features()}, 1_024, flat.targets(), 2_500, 3, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 3");
    }

    @Test
    void predictionsOfSeveralOutputsFromBlocksAreThoseOfOneArrayRowForRow() {
        LabeledData blobs = TutorialData.blobs(1_100, 4);  // 3,300 rows, three classes
        Network network = Network.initialize(NetworkSpec.of(2, List.of(LayerSpec.of(16, Activation.relu())), 3,
                Activation.softmax()), new SplittableRandom(9));

        assertThat(inBlocks(blobs, 1_024).predictedBy(network)).isEqualTo(network.predict(blobs.features(), blobs.rows()))
                .isEqualTo(blobs.predictedBy(network));
    }

    private record Run(double[][] weights, List<EpochMetrics> history, double[] trainingPredictions, double[] validationPredictions) {
    }

    private static Run train(Precision precision, LabeledData training, LabeledData validation, TrainingSpec spec) {
        SplittableRandom random = new SplittableRandom(11);
        Network network = Network.initialize(NET.withPrecision(precision), random);
        TrainingResult result = new Trainer().train(network, training, validation, spec, random, CancellationToken.NONE,
                EpochListener.NONE);
        return new Run(network.parameters(), result.history(), training.predictedBy(network), validation.predictedBy(network));
    }

    @Test
    void rowsInBlocksTrainToTheVeryWeightsLossesAndPredictionsOfTheSameRowsInOneArray() {
        LabeledData all = TutorialData.synthetic(6_000, 2);
        LabeledData training = TutorialData.rows(all, 0, 3_500);  // 3 blocks of 1,024 rows and one of 428
        LabeledData validation = TutorialData.rows(all, 3_500, 6_000);  // chunks of the validation pass in 3 blocks
        TrainingSpec miniBatches = TrainingSpec.basic(Task.CLASSIFICATION, Loss.BINARY_CROSSENTROPY,
                OptimizerSpec.Adam.withLearningRate(0.01), 3, 64).withClassWeights(new double[]{1, 2.5});
        TrainingSpec fullBatch = TrainingSpec.basic(Task.CLASSIFICATION, Loss.BINARY_CROSSENTROPY,
                OptimizerSpec.Adam.withLearningRate(0.01), 4, 0);
        for (Precision precision : Precision.values()) {
            for (TrainingSpec spec : List.of(miniBatches, fullBatch)) {
                Run flat = train(precision, training, validation, spec);
                Run blocked = train(precision, inBlocks(training, 1_024), inBlocks(validation, 1_024), spec);

                assertThat(blocked.weights()).as("%s %s", precision, spec.batchSize()).isDeepEqualTo(flat.weights());
                for (int e = 0; e < flat.history().size(); e++) {
                    EpochMetrics a = flat.history().get(e);
                    EpochMetrics b = blocked.history().get(e);
                    assertThat(List.of(b.loss(), b.validationLoss(), b.metric(), b.validationMetric()))
                            .isEqualTo(List.of(a.loss(), a.validationLoss(), a.metric(), a.validationMetric()));
                }
                assertThat(blocked.trainingPredictions()).isEqualTo(flat.trainingPredictions());
                assertThat(blocked.validationPredictions()).isEqualTo(flat.validationPredictions());
            }
        }
    }
}
