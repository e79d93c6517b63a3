package dev.backprop.training;

import static dev.backprop.training.TrainingFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.data.Table;
import dev.backprop.nn.LabeledData;
import dev.backprop.nn.Network;
import dev.backprop.nn.Trainer;
import dev.backprop.support.TestProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A job's encoded rows of more than about 8 MB are held in blocks, which train as the same rows in one array. */
class PreparedRowsInBlocksTest {

    private static final int ROWS = 1_600;
    private static final int FEATURES = 900;

    private final JobSpecResolver resolver = new JobSpecResolver(TestProperties.defaults());

    private static TrainingData wide() {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < FEATURES; c++) {
            names.add("x" + c);
        }
        names.add("label");
        SplittableRandom random = new SplittableRandom(8);
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            List<Object> row = new ArrayList<>(FEATURES + 1);
            for (int c = 0; c < FEATURES; c++) {
                row.add(random.nextGaussian());
            }
            row.add((Double) row.get(0) + (Double) row.get(1) > 0 ? "yes" : "no");
            rows.add(row);
        }
        return new TrainingData(new Table(names, rows), "label", null, null);
    }

    private static LabeledData inOneArray(LabeledData data) {
        double[] features = new double[data.rows() * data.featureCount()];
        for (int row = 0; row < data.rows(); row++) {
            data.copyRow(row, features, row * data.featureCount());
        }
        return new LabeledData(features, data.targets(), data.rows(), data.featureCount(), data.targetCount());
    }

    @Test
    void aJobsRowsOfMoreThanAMillionValuesAreEncodedInBlocksOfTheTablesValuesAndTrainAsOneArray() {
        TrainingData data = wide();
        TrainingJobSpec spec = request(Map.of("task", "classification",
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 8, "activation", "relu"))),
                "training", Map.of("epochs", 2, "batchSize", 32, "seed", 5, "validationFraction", 0.2,
                        "validationSplit", "last", "scaling", "none")));
        TrainingPlan plan = resolver.plan(resolver.resolve(spec, data), data);

        LabeledData training = plan.trainingData();
        // 1,280 rows × 900 values: one block of 1,024 rows and one of 256; the 320 validation rows in one array
        assertThat(training.rowsPerBlock()).isEqualTo(1_024);
        assertThat(training.featureBlocks().length).isEqualTo(2);
        assertThat(plan.validation().featureBlocks().length).isEqualTo(1);
        // without scaling, each encoded value is the table's own: row r of the training rows is the table's row r
        List<List<Object>> rows = data.table().rows();
        double[] row = new double[FEATURES];
        for (int r : new int[]{0, 1_023, 1_024, 1_279}) {
            training.copyRow(r, row, 0);
            for (int c = 0; c < FEATURES; c++) {
                assertThat(row[c]).isEqualTo((Double) rows.get(r).get(c));
            }
        }

        Network blocked = Network.initialize(plan.network(), new SplittableRandom(3));
        Network flat = Network.initialize(plan.network(), new SplittableRandom(3));
        new Trainer().train(blocked, training, plan.validation(), plan.training(), new SplittableRandom(4), () -> false, epoch -> { });
        new Trainer().train(flat, inOneArray(training), plan.validation(), plan.training(), new SplittableRandom(4), () -> false,
                epoch -> { });
        assertThat(blocked.parameters()).isDeepEqualTo(flat.parameters());
        assertThat(training.predictedBy(blocked)).isEqualTo(flat.predict(inOneArray(training).features(), training.rows()));
    }
}
