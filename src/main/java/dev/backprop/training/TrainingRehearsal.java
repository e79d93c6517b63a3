package dev.backprop.training;

import dev.backprop.nn.CancellationToken;
import dev.backprop.nn.EpochListener;
import dev.backprop.nn.Network;
import dev.backprop.nn.Trainer;
import dev.backprop.nn.TrainingResult;
import org.springframework.stereotype.Component;

/**
 * A training run that stores and reports nothing: a resolved job planned (split, pipeline fit, encoding), its network
 * initialized, trained and evaluated in memory, by the same calls {@link TrainingExecution} makes for a stored job.
 * The service's start-up warm-up runs it on a tiny synthetic table, so that the first user's job does not pay for
 * loading and compiling this path.
 */
@Component
public class TrainingRehearsal {

    private final JobSpecResolver resolver;

    TrainingRehearsal(JobSpecResolver resolver) {
        this.resolver = resolver;
    }

    /** Runs {@code job} on {@code data} as a training job would, and forgets the result. */
    public void rehearse(ResolvedTrainingJob job, TrainingData data) {
        TrainingPlan plan = resolver.plan(job, data);
        Network network = Network.initialize(plan.network(), plan.random());
        TrainingResult result = new Trainer().train(network, plan.trainingData(), plan.validation(), plan.training(), plan.random(),
                CancellationToken.NONE, EpochListener.NONE);
        plan.restoreTargetUnitsInPlace(network);
        ModelEvaluation.evaluate(network, plan, result);
    }
}
