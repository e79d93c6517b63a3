package dev.backprop.training;

import dev.backprop.nn.Activation;
import dev.backprop.nn.EarlyStoppingSpec;
import dev.backprop.nn.Initializer;
import dev.backprop.nn.LayerSpec;
import dev.backprop.nn.LearningRateScheduleSpec;
import dev.backprop.nn.Loss;
import dev.backprop.nn.Monitor;
import dev.backprop.nn.NetworkSpec;
import dev.backprop.nn.OptimizerSpec;
import dev.backprop.nn.Precision;
import dev.backprop.nn.Task;
import dev.backprop.nn.TrainingSpec;
import dev.backprop.training.TrainingJobSpec.EarlyStoppingConfig;
import dev.backprop.training.TrainingJobSpec.HiddenLayerConfig;
import dev.backprop.training.TrainingJobSpec.NetworkConfig;
import dev.backprop.training.TrainingJobSpec.ScheduleConfig;
import dev.backprop.training.TrainingJobSpec.TrainingConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the engine's validated specs from a resolved request. The engine checks its own invariants;
 * what it refuses becomes an error of the field the value came from.
 */
final class EngineSpecs {

    /** What one run trains: the network and how. */
    record Built(NetworkSpec network, TrainingSpec training) {
    }

    private final RequestLimits limits;
    private final FieldErrors errors;

    EngineSpecs(RequestLimits limits, FieldErrors errors) {
        this.limits = limits;
        this.errors = errors;
    }

    /**
     * The engine's specs of a resolved request whose features encode to {@code inputWidth} inputs;
     * {@code hasValidation} says whether the run will have validation rows (a holdout or a fold).
     *
     * @return null when the engine refused a value (recorded in the errors)
     */
    Built build(NetworkConfig network, TrainingConfig t, int inputWidth, Task task, double[] classWeights,
                boolean hasValidation) {
        NetworkSpec networkSpec;
        List<LayerSpec> layers = new ArrayList<>();
        for (HiddenLayerConfig layer : network.hiddenLayers()) {
            Activation activation = Activation.named(layer.activation());
            if (layer.alpha() != null) {
                activation = new Activation(activation.kind(), layer.alpha());
            }
            layers.add(new LayerSpec(layer.units(), activation, layer.dropout()));
        }
        Initializer initializer = network.initializer() == null ? null
                : Initializer.named(network.initializer()).kind() == Initializer.Kind.NORMAL
                ? Initializer.normal(network.initializerScale()) : Initializer.named(network.initializer());
        networkSpec = errors.attempt("network", () -> new NetworkSpec(inputWidth, layers, network.outputUnits(),
                Activation.named(network.outputActivation()), initializer, Precision.named(network.precision())));
        if (networkSpec == null) {
            return null;
        }
        Loss loss = Loss.named(t.loss());
        errors.attempt("training.loss", () -> {
            networkSpec.requireCompatible(loss);
            return loss;
        });
        limits.checkParameters(networkSpec.parameterCount());
        OptimizerSpec optimizer = errors.attempt("training.learningRate", () -> switch (t.optimizer()) {
            case SGD -> new OptimizerSpec.Sgd(t.learningRate());
            case MOMENTUM -> new OptimizerSpec.Momentum(t.learningRate(), t.momentum(), t.nesterov());
            case RMSPROP -> new OptimizerSpec.RmsProp(t.learningRate(), t.rho(), t.epsilon());
            case ADAM -> new OptimizerSpec.Adam(t.learningRate(), t.beta1(), t.beta2(), t.epsilon());
        });
        EarlyStoppingSpec earlyStopping = null;
        if (t.earlyStopping() != null) {
            EarlyStoppingConfig e = t.earlyStopping();
            Monitor monitor = errors.attempt("training.earlyStopping.monitor", () -> Monitor.named(e.monitor()));
            EarlyStoppingSpec.Mode mode = e.mode() == null ? null : e.mode() == Direction.MAX ? EarlyStoppingSpec.Mode.MAX
                    : EarlyStoppingSpec.Mode.MIN;
            if (monitor != null && monitor.needsValidation() && !hasValidation) {
                errors.add("training.earlyStopping.monitor", monitor.wireName() + " needs a validationFraction above 0");
            }
            if (monitor != null) {
                earlyStopping = errors.attempt("training.earlyStopping", () -> new EarlyStoppingSpec(monitor, mode, e.patience(), e.minDelta()));
            }
        }
        LearningRateScheduleSpec schedule = schedule(t.schedule(), hasValidation);
        if (!errors.isEmpty() || optimizer == null) {
            return null;
        }
        EarlyStoppingSpec stopping = earlyStopping;
        TrainingSpec trainingSpec = errors.attempt("training", () -> new TrainingSpec(task, loss, optimizer, t.epochs(),
                t.batchSize() == null ? 0 : t.batchSize(), t.l1(), t.l2(), schedule, stopping,
                t.clipNorm() == null ? 0 : t.clipNorm(),
                t.maxRuntimeSeconds() == null ? null : Duration.ofSeconds(t.maxRuntimeSeconds()), classWeights));
        return trainingSpec == null ? null : new Built(networkSpec, trainingSpec);
    }

    private LearningRateScheduleSpec schedule(ScheduleConfig s, boolean hasValidation) {
        return errors.attempt("training.schedule", () -> switch (s.type()) {
            case STEP -> new LearningRateScheduleSpec.StepDecay(s.everyEpochs(), s.factor());
            case EXPONENTIAL -> new LearningRateScheduleSpec.ExponentialDecay(s.rate());
            case REDUCE_ON_PLATEAU -> {
                Monitor monitor = Monitor.named(s.monitor());
                if (monitor.needsValidation() && !hasValidation) {
                    throw new IllegalArgumentException("monitor " + monitor.wireName() + " needs a validationFraction above 0");
                }
                yield new LearningRateScheduleSpec.ReduceOnPlateau(monitor, s.factor(), s.patience(), s.minDelta(), s.minLearningRate());
            }
            case CONSTANT -> new LearningRateScheduleSpec.Constant();
        });
    }
}
