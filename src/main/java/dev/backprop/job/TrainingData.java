package dev.backprop.job;

import dev.backprop.data.Table;
import java.util.List;

/**
 * The data of a training job: a table, the column to predict and the feature columns (null or
 * empty for every other column). Stored with the job, apart from its spec.
 */
public record TrainingData(Table table, String targetColumn, List<String> featureColumns) {

    public TrainingData {
        featureColumns = featureColumns == null ? List.of() : List.copyOf(featureColumns);
    }
}
