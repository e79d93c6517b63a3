package dev.backprop.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.training.TrainingJobSpec.EarlyStoppingConfig;
import dev.backprop.training.TrainingJobSpec.TrainingConfig;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code with…} copies of training settings: each changes what it names and keeps every other setting. */
class TrainingJobSpecTest {

    /** Every setting given, each with a value no other same-typed setting has, built from JSON as a request is. */
    private static TrainingConfig everySettingGiven() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.putAll(Map.of("loss", "mse", "optimizer", "adam", "learningRate", 0.001, "momentum", 0.8, "nesterov", true,
                "beta1", 0.91, "beta2", 0.998, "rho", 0.95, "epsilon", 1e-7, "epochs", 40));
        settings.putAll(Map.of("batchSize", 16, "l1", 0.01, "l2", 0.02, "seed", 3L, "validationFraction", 0.25,
                "validationSplit", "random", "scaling", "minmax", "imputation", "median", "unknownCategories", "reject",
                "earlyStopping", Map.of("monitor", "val_loss", "mode", "min", "patience", 4, "minDelta", 0.001)));
        settings.putAll(Map.of("schedule", Map.of("type", "reduce_on_plateau", "monitor", "val_loss", "factor", 0.4, "patience", 3,
                        "minDelta", 0.002, "minLearningRate", 1e-5), "clipNorm", 1.5, "maxRuntimeSeconds", 30,
                "targetScaling", "none", "classWeights", "balanced"));
        return TrainingFixtures.training(settings);
    }

    /** The names of the components in which {@code a} and {@code b} differ. */
    private static Set<String> differences(TrainingConfig a, TrainingConfig b) throws ReflectiveOperationException {
        Set<String> differ = new HashSet<>();
        for (RecordComponent component : TrainingConfig.class.getRecordComponents()) {
            if (!java.util.Objects.equals(component.getAccessor().invoke(a), component.getAccessor().invoke(b))) {
                differ.add(component.getName());
            }
        }
        return differ;
    }

    @Test
    void eachWithChangesOnlyTheSettingItNames() throws ReflectiveOperationException {
        TrainingConfig full = everySettingGiven();
        assertThat(differences(full, TrainingConfig.empty())).hasSize(TrainingConfig.class.getRecordComponents().length);
        Map<String, TrainingConfig> changed = Map.of("optimizer", full.withOptimizer(OptimizerType.SGD),
                "learningRate", full.withLearningRate(0.5), "momentum", full.withMomentum(0.5), "epochs", full.withEpochs(7),
                "batchSize", full.withBatchSize(null), "l1", full.withL1(0.5), "l2", full.withL2(0.5), "seed", full.withSeed(99L),
                "maxRuntimeSeconds", full.withMaxRuntimeSeconds(null),
                "earlyStopping", full.withEarlyStopping(new EarlyStoppingConfig("loss", Direction.MIN, 4, 0.001)));
        for (Map.Entry<String, TrainingConfig> entry : changed.entrySet()) {
            assertThat(differences(full, entry.getValue())).as(entry.getKey()).containsExactly(entry.getKey());
        }
        assertThat(full.withLearningRate(0.5).learningRate()).isEqualTo(0.5);
        assertThat(full.withOptimizer(OptimizerType.SGD).optimizer()).isEqualTo(OptimizerType.SGD);
    }

    @Test
    void aRefitHoldsNothingOutStopsNeverAndWatchesTheTrainingLoss() throws ReflectiveOperationException {
        TrainingConfig full = everySettingGiven();
        TrainingConfig refit = full.forRefit(12, 5L);
        assertThat(differences(full, refit)).containsExactlyInAnyOrder("epochs", "seed", "validationFraction", "earlyStopping",
                "schedule", "maxRuntimeSeconds");
        assertThat(refit.epochs()).isEqualTo(12);
        assertThat(refit.seed()).isEqualTo(5L);
        assertThat(refit.validationFraction()).isZero();
        assertThat(refit.earlyStopping()).isNull();
        assertThat(refit.maxRuntimeSeconds()).isNull();
        assertThat(refit.schedule()).isEqualTo(full.schedule().withMonitor("loss"));
    }
}
