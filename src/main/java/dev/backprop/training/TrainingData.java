package dev.backprop.training;

import dev.backprop.data.Table;
import dev.backprop.job.JobInput;
import java.util.List;
import java.util.UUID;

/**
 * The data of a training job: a table, the column to predict and the feature columns (null or
 * empty for every other column). Inline data are stored with the job, apart from its spec; a job on a
 * stored data set keeps only the reference (data sets never change) and reads the rows when it runs.
 *
 * @param table     the rows; null only in the stored form of a job on a data set
 * @param datasetId the stored data set the table comes from, or null for inline data
 */
public record TrainingData(Table table, String targetColumn, List<String> featureColumns, UUID datasetId) implements JobInput {

    public TrainingData {
        featureColumns = featureColumns == null ? List.of() : List.copyOf(featureColumns);
    }

    /** Inline data. */
    public TrainingData(Table table, String targetColumn, List<String> featureColumns) {
        this(table, targetColumn, featureColumns, null);
    }

    /** A stored data set is referred to, not copied: it can be far larger than a database row should be. */
    @Override
    public TrainingData storedForm() {
        return datasetId == null ? this : new TrainingData(null, targetColumn, featureColumns, datasetId);
    }
}
