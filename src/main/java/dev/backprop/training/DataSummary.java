package dev.backprop.training;

import java.util.List;

/**
 * What the resolver read from a job's data.
 *
 * @param rows           rows submitted
 * @param featureColumns the feature columns, in model input order
 * @param targetColumn   the target column
 * @param classes        the class labels as given (classification), or null
 * @param trainingRows   rows used for training
 * @param validationRows rows held out for validation
 */
public record DataSummary(int rows, List<String> featureColumns, String targetColumn, List<Object> classes,
                          int trainingRows, int validationRows) {
}
