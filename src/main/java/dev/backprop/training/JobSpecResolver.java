package dev.backprop.training;

import dev.backprop.training.TrainingJobSpec.NetworkConfig;
import dev.backprop.training.TrainingJobSpec.TrainingConfig;
import dev.backprop.nn.LabeledData;
import dev.backprop.platform.ApiException;
import dev.backprop.platform.BackpropProperties;
import org.springframework.stereotype.Component;

/**
 * Turns a submitted training request into a resolved job (every default filled, every field
 * checked, the caps enforced) and a resolved job into a {@link TrainingPlan}. Every problem found is
 * reported at once as a 400 listing the fields at fault.
 */
@Component
public class JobSpecResolver {

    private final BackpropProperties.Limits limits;

    public JobSpecResolver(BackpropProperties properties) {
        this.limits = properties.limits();
    }

    /**
     * Validates {@code spec} against {@code data} and fills every default.
     *
     * @throws ApiException a validation problem listing every field at fault
     */
    public ResolvedTrainingJob resolve(TrainingJobSpec spec, TrainingData data) {
        return new Resolution(spec, data, null, null, 0, false, null).resolve();
    }

    /**
     * Validates a request and builds its run in one pass, as a search trial does (split with
     * {@code splitSeed}, so that every trial validates on the same rows).
     *
     * @throws ApiException a validation problem listing every field at fault
     */
    public TrainingPlan resolveAndPlan(TrainingJobSpec spec, TrainingData data, long splitSeed) {
        return resolveAndPlan(spec, data, splitSeed, null);
    }

    /**
     * As {@link #resolveAndPlan(TrainingJobSpec, TrainingData, long)}, taking the encoded rows from {@code folds} when a
     * trial before this one prepared them (and leaving them there for the next).
     */
    public TrainingPlan resolveAndPlan(TrainingJobSpec spec, TrainingData data, long splitSeed, PreparedFolds folds) {
        Resolution resolution = new Resolution(spec, data, splitSeed, null, 0, true, folds);
        resolution.resolve();
        return resolution.plan;
    }

    /** Builds the run of a resolved job: the same data always gives the same split and statistics. */
    public TrainingPlan plan(ResolvedTrainingJob job, TrainingData data) {
        return plan(job, data, job.spec().training().seed());
    }

    /**
     * As {@link #plan(ResolvedTrainingJob, TrainingData)}, taking the split and the encoded rows from {@code kept} when
     * an earlier job on the same data prepared them with the same options (and leaving them there for the next).
     */
    public TrainingPlan plan(ResolvedTrainingJob job, TrainingData data, PreparedFolds kept) {
        return resolveAndPlan(job.spec(), data, job.spec().training().seed(), kept);
    }

    /** Builds the run of a resolved job whose holdout split is drawn with {@code splitSeed}. */
    private TrainingPlan plan(ResolvedTrainingJob job, TrainingData data, long splitSeed) {
        return resolveAndPlan(job.spec(), data, splitSeed);
    }

    /**
     * Validates a request and builds the run of one cross-validation fold: rows of {@code fold} validate,
     * the others train (so settings that watch validation data are valid without a holdout).
     *
     * @throws ApiException a validation problem listing every field at fault
     */
    public TrainingPlan planFold(TrainingJobSpec spec, TrainingData data, int[] foldOfRow, int fold) {
        return planFold(spec, data, foldOfRow, fold, null);
    }

    /** As {@link #planFold(TrainingJobSpec, TrainingData, int[], int)}, with the fold's encoded rows kept in {@code folds}. */
    public TrainingPlan planFold(TrainingJobSpec spec, TrainingData data, int[] foldOfRow, int fold, PreparedFolds folds) {
        Resolution resolution = new Resolution(spec, data, null, foldOfRow, fold, true, folds);
        resolution.resolve();
        return resolution.plan;
    }

    /** The encoded targets of a job's rows (in one-column placeholder features), for fold assignment. */
    public LabeledData encoded(ResolvedTrainingJob job, TrainingData data) {
        Resolution resolution = new Resolution(job.spec(), data, null, null, 0, false, null);
        resolution.resolve();
        return resolution.prepared.targetsOnly();
    }

    /**
     * One resolution: the data read, the defaults filled and checked, the rows split (a holdout drawn with
     * {@code splitSeed}, the request's seed when null, or a cross-validation fold) and encoded, and the
     * engine's specs built. Errors are collected across the steps, so a 400 names every field at fault
     * that the earlier steps let it see.
     */
    private final class Resolution {
        private final TrainingJobSpec spec;
        private final TrainingData data;
        private final Long splitSeed;
        private final int[] foldOfRow;
        private final int fold;
        private final FieldErrors errors = new FieldErrors();
        private final RequestLimits requestLimits = new RequestLimits(limits, errors);
        private final ResolutionNotes notes = new ResolutionNotes();
        private final boolean encodeRows;
        private final PreparedFolds folds;
        private DataPreparation prepared;
        private TrainingPlan plan;

        /**
         * @param encodeRows whether the rows are encoded for a run (a plan), or only checked (a submit's resolution:
         *                   every problem found, no matrix built)
         * @param folds      a search's kept preparations, or null
         */
        Resolution(TrainingJobSpec spec, TrainingData data, Long splitSeed, int[] foldOfRow, int fold, boolean encodeRows,
                   PreparedFolds folds) {
            this.spec = spec;
            this.data = data;
            this.splitSeed = splitSeed;
            this.foldOfRow = foldOfRow;
            this.fold = fold;
            this.encodeRows = encodeRows;
            this.folds = folds;
        }

        ResolvedTrainingJob resolve() {
            NetworkConfig network = spec.network() != null ? spec.network() : NetworkConfig.empty();
            TrainingConfig training = spec.training() != null ? spec.training() : TrainingConfig.empty();
            prepared = DataPreparation.read(spec, data, errors);
            if (prepared.isRead()) {
                requestLimits.checkRows(prepared.rows());
            }
            errors.throwIfAny();
            NetworkConfig resolvedNetwork = new NetworkDefaults(prepared, requestLimits, errors, notes).resolve(network);
            TrainingConfig resolvedTraining = new TrainingDefaults(prepared, requestLimits, errors, notes).resolve(training, spec.network());
            errors.throwIfAny();
            EngineSpecs.Built built = null;
            if (prepared.encode(resolvedNetwork.outputUnits(), resolvedTraining,
                    splitSeed != null ? splitSeed : resolvedTraining.seed(), foldOfRow, fold, encodeRows, folds)) {
                built = new EngineSpecs(requestLimits, errors).build(resolvedNetwork, resolvedTraining, prepared.inputWidth(),
                        prepared.task(), ClassWeights.weights(resolvedTraining.classWeights(), prepared),
                        foldOfRow != null || resolvedTraining.validationFraction() > 0);
            }
            errors.throwIfAny();
            if (encodeRows) {
                plan = new TrainingPlan(built.network(), built.training(), prepared.task(), prepared.random(), prepared.trainingRows(),
                        prepared.validationRows(), prepared.labels(), prepared.pipeline(), prepared.featureNames(), data.targetColumn(),
                        prepared.targetScaling());
            }
            String task = prepared.task().wireName();
            DataSummary summary = new DataSummary(prepared.rows(), prepared.featureNames(), data.targetColumn(),
                    prepared.labels() == null ? null : prepared.labels().labels(), prepared.trainingRowCount(),
                    prepared.validationRowCount());
            DataWarnings.check(prepared, notes);
            return new ResolvedTrainingJob(new TrainingJobSpec(spec.name(), task, resolvedNetwork, resolvedTraining, spec.tags()), task,
                    prepared.taskInferred(), summary, built.network().parameterCount(), notes.defaults(), notes.warnings());
        }
    }
}
