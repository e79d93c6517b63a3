package dev.backprop.training;

import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The prepared rows (split, fitted pipeline, encoded matrices) of the training jobs on the stored data set and column
 * selection trained last on this replica, kept for the next job on them: a user who trains a second network on the
 * same data set (another precision, other layers, another learning rate) meets the same split and encoding, which
 * depend only on the data and the preparation options ({@link PreparedFolds.Key}), never on the network. On T4 that
 * is 60,000 × 784 values, 376 MB, whose fresh pages alone cost a job 0.4–1.2 s on this machine (bench/NOTES.md, tenth
 * session, prep).
 *
 * <p>A data set never changes, so what is kept stays right; a job on a deleted one fails at its read, before it
 * would look here. One selection at a time, each in a {@link PreparedFolds}: kept softly and within a quarter of the
 * heap, so a heap that runs short takes the matrices back, and the next job prepares them again. Inline data
 * (no data set id) are never kept: two requests' rows are not known to be the same.
 */
@Component
class RecentPreparations {

    private record Selection(UUID datasetId, String targetColumn, List<String> featureColumns) {
    }

    private Selection selection;
    private PreparedFolds folds;

    /** The kept preparations of {@code data}'s data set and column selection (new when it is not the last one), or null for inline data. */
    synchronized PreparedFolds of(TrainingData data) {
        if (data.datasetId() == null) {
            return null;
        }
        Selection wanted = new Selection(data.datasetId(), data.targetColumn(), data.featureColumns());
        if (!wanted.equals(selection)) {
            selection = wanted;
            folds = new PreparedFolds();
        }
        return folds;
    }
}
