package dev.backprop.training;

import dev.backprop.data.ClassLabels;
import dev.backprop.data.FeaturePipeline;
import dev.backprop.nn.LabeledData;
import dev.backprop.nn.NetworkSpec;
import dev.backprop.nn.Task;
import dev.backprop.nn.TrainingSpec;
import dev.backprop.nn.Network;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything one training run needs, built from a resolved job: the engine's specs, the prepared
 * (split, standardized, encoded) data, and the preprocessing a model must carry.
 *
 * @param random       the run's random stream, already advanced past the split; initialize the
 *                     network from it, then train with it
 * @param validation   validation data, or null without a validation split
 * @param labels       class labels (classification), or null
 * @param pipeline      the feature encoding fitted on the training split
 * @param targetScaling how the regression target was standardized for training, or null; the data above
 *                      hold the standardized targets
 */
public record TrainingPlan(NetworkSpec network, TrainingSpec training, Task task, SplittableRandom random,
                           LabeledData trainingData, LabeledData validation, ClassLabels labels,
                           FeaturePipeline pipeline, List<String> featureNames, String targetColumn,
                           TargetScaling targetScaling) {

    /**
     * Makes a trained network answer in the target's units (folding the target's standardization into its
     * output layer); call once, after training and before anything is measured or stored.
     */
    public void restoreTargetUnitsInPlace(Network trained) {
        if (targetScaling != null) {
            targetScaling.foldInto(trained);
        }
    }

    /** The training rows with their targets in the target's units. */
    public LabeledData trainingDataInTargetUnits() {
        return targetScaling == null ? trainingData : targetScaling.restore(trainingData);
    }

    /** The validation rows with their targets in the target's units, or null without a validation split. */
    public LabeledData validationInTargetUnits() {
        return targetScaling == null || validation == null ? validation : targetScaling.restore(validation);
    }
}
