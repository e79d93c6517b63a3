package dev.backprop.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.backprop.nn.StopReason;
import dev.backprop.platform.BackpropVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * How a model was made, kept with the model so that it outlives its job: what was trained on which
 * data with which seed, by which job and which version of Backprop. The model knows nothing of jobs,
 * so the job that trains it fills this in; the training spec is the job's own JSON, carried as is.
 *
 * @param jobType         {@code training}, {@code grid_search} or {@code random_search}
 * @param bestTrialParams a search: the parameters of the best trial, which the model was refitted with;
 *                        null for a training job
 * @param trainingSpec    the training request with every default filled in, as the job stores it (a
 *                        search: the refit's request, the best trial's parameters applied)
 * @param seed            the seed of the run that trained the model
 * @param datasetId       the stored data set trained on, or null for rows sent with the job
 * @param trainingRows    rows the model was trained on: without validation rows, and without rows
 *                        dropped for a missing value
 * @param rows            every row of the data
 * @param backpropVersion the version of Backprop that trained the model ({@link BackpropVersion})
 * @param refit           a search's model: how its refit trained and stopped; null for a training job and for models
 *                        stored before it was recorded
 */
public record ModelProvenance(String jobType, @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> bestTrialParams,
                             // a request, not a cell: OpenApiConfiguration describes it as an object
                             JsonNode trainingSpec, long seed, UUID datasetId, int trainingRows, int rows,
                             String backpropVersion, @JsonInclude(JsonInclude.Include.NON_NULL) Refit refit) {

    /** How a search's refit decided when to stop. */
    public enum RefitRule {
        /**
         * It held out rows of its own and stopped on them (at their best score, ties broken by the lower validation loss, or
         * at their lowest validation loss: {@link Refit#monitor()}), keeping that epoch's weights.
         */
        HOLDOUT,
        /** It trained on every row until the training loss settled, and never fewer epochs than the best trial's best. */
        TRAINING_LOSS,
        /** It trained on every row for the trials' epochs (they did not stop early). */
        EPOCHS;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * How a search's model was refit.
     *
     * @param rule        when it stopped
     * @param holdoutRows rows it held out to stop on ({@link RefitRule#HOLDOUT}), else 0
     * @param epochs      epochs it ran
     * @param bestEpoch   the epoch whose weights it kept
     * @param stopReason  why it ended: {@code EARLY_STOPPED}, {@code COMPLETED} or {@code TIME_LIMIT} (the search's budget)
     * @param monitor     what its early stopping watched ({@code val_metric}: the held-out rows' accuracy or R²,
     *                    {@code val_loss}, {@code loss}); null when it did not stop early, and for models refit before it
     *                    was recorded
     * @param tiesBrokenBy what decided between epochs of the same {@code monitor} value ({@code val_loss}), or null
     * @param ensemble    when the model is several refits merged into one network (an auto search's): its members; the
     *                    fields above then describe the first member; null for a single network
     */
    public record Refit(RefitRule rule, int holdoutRows, int epochs, int bestEpoch, StopReason stopReason,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String monitor,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String tiesBrokenBy,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Ensemble ensemble) {

        /** A refit of one network. */
        public Refit(RefitRule rule, int holdoutRows, int epochs, int bestEpoch, StopReason stopReason, String monitor,
                     String tiesBrokenBy) {
            this(rule, holdoutRows, epochs, bestEpoch, stopReason, monitor, tiesBrokenBy, null);
        }
    }

    /**
     * Refits of the same parameters from other seeds, merged into the model's one network.
     *
     * @param members     how many networks were merged (a member its budget share ended before an epoch is left out)
     * @param seeds       each member's seed (its initial weights and batch order), in member order
     * @param epochs      the epochs each member ran
     * @param bestEpochs  the epoch whose weights each member kept
     * @param stopReasons why each member ended
     * @param merged      how: the members' hidden units side by side and the mean of their output layers'
     *                    pre-activations
     */
    public record Ensemble(int members, List<Long> seeds, List<Integer> epochs, List<Integer> bestEpochs,
                           List<StopReason> stopReasons, String merged) {
    }

    /** The model's name: its training request's name, or null. */
    @JsonIgnore
    public String modelName() {
        JsonNode name = trainingSpec == null ? null : trainingSpec.get("name");
        return name == null || name.isNull() ? null : name.asString();
    }

    /** The model's tags: its training request's tags, or none. */
    @JsonIgnore
    public List<String> modelTags() {
        JsonNode tags = trainingSpec == null ? null : trainingSpec.get("tags");
        List<String> values = new ArrayList<>();
        if (tags != null) {
            tags.forEach(tag -> values.add(tag.asString()));
        }
        return values;
    }

    /** The provenance of a model trained now, by the running version. */
    public static ModelProvenance ofThisVersion(String jobType, Map<String, Object> bestTrialParams, JsonNode trainingSpec, long seed,
                                                UUID datasetId, int trainingRows, int rows) {
        return ofThisVersion(jobType, bestTrialParams, trainingSpec, seed, datasetId, trainingRows, rows, null);
    }

    /** The provenance of a search's model refit now, by the running version. */
    public static ModelProvenance ofThisVersion(String jobType, Map<String, Object> bestTrialParams, JsonNode trainingSpec, long seed,
                                                UUID datasetId, int trainingRows, int rows, Refit refit) {
        return new ModelProvenance(jobType, bestTrialParams, trainingSpec, seed, datasetId, trainingRows, rows,
                BackpropVersion.current(), refit);
    }
}
