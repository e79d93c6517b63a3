package dev.backprop.training;

import dev.backprop.job.JobType;
import dev.backprop.model.FinalMetrics;
import dev.backprop.nn.CancellationToken;
import dev.backprop.nn.EpochListener;
import dev.backprop.nn.Network;
import dev.backprop.nn.Trainer;
import dev.backprop.nn.TrainingResult;
import org.springframework.stereotype.Component;

/**
 * A training run that stores and reports nothing: a resolved job planned (split, pipeline fit, encoding), its network
 * initialized, trained and evaluated in memory, by the same calls {@link TrainingExecution} makes for a stored job, and
 * its documents (spec, input, outcome) written and read back as the job table would hold them.
 * The service's start-up warm-up runs it on a tiny synthetic table, so that the first user's job does not pay for
 * loading and compiling this path.
 */
@Component
public class TrainingRehearsal {

    private final JobSpecResolver resolver;
    private final TrainingJobDocuments documents;

    TrainingRehearsal(JobSpecResolver resolver, TrainingJobDocuments documents) {
        this.resolver = resolver;
        this.documents = documents;
    }

    /** Runs {@code job} on {@code data} as a training job would, and forgets the result. */
    public void rehearse(ResolvedTrainingJob submitted, TrainingData data) {
        ResolvedTrainingJob job = (ResolvedTrainingJob) documents.readSpec(JobType.TRAINING, documents.writeSpec(submitted));
        documents.readInput(documents.writeInput(data.storedForm()));
        TrainingPlan plan = resolver.plan(job, data);
        Network network = Network.initialize(plan.network(), plan.random());
        TrainingResult result = new Trainer().train(network, plan.trainingData(), plan.validation(), plan.training(), plan.random(),
                CancellationToken.NONE, EpochListener.NONE);
        plan.restoreTargetUnitsInPlace(network);
        FinalMetrics metrics = ModelEvaluation.evaluate(network, plan, result);
        documents.readResult(documents.writeResult(new TrainingOutcome(result.stopReason(), null, metrics,
                new PhaseTimings(0, 0, 0, 0, 0))));
    }
}
