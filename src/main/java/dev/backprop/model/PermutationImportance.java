package dev.backprop.model;

import dev.backprop.nn.MetricSet;
import dev.backprop.nn.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Permutation feature importance (Breiman 2001; scikit-learn's {@code permutation_importance}): how much
 * the model's score drops when one feature's column is shuffled, which breaks the feature's link to the
 * target while keeping its distribution. The score is scikit-learn's default for the task — accuracy for
 * a classifier, R² for a regression — and each feature is shuffled {@code repeats} times; the answer is
 * the mean drop, its standard deviation over the repeats (population, as numpy's {@code std}) and every
 * drop. The raw cells are shuffled, before imputation, scaling and one-hot encoding, so a categorical
 * feature is permuted as one column, as scikit-learn permutes a pipeline's input.
 */
public final class PermutationImportance {

    /** Repeats per feature at most: each costs one forward pass over every row. */
    public static final int MAX_REPEATS = 100;

    private PermutationImportance() {
    }

    /**
     * @param metric   {@code accuracy} or {@code r2}
     * @param baseline the score on the rows as given
     * @param features one entry per feature, in the model's feature order
     */
    public record Result(String metric, double baseline, int repeats, long seed, List<Feature> features) {
    }

    /**
     * @param importanceMean the mean drop of the score over the repeats
     * @param importanceStd  the standard deviation of the drops
     * @param importances    the drop of each repeat
     */
    public record Feature(String feature, double importanceMean, double importanceStd, double[] importances) {
    }

    /**
     * The importance of each feature.
     *
     * @param cells   rows of raw feature cells in the model's feature order, already checked to encode
     * @param encoded the targets as {@link Metrics#evaluate} reads them
     */
    static Result of(TrainedModel model, List<List<Object>> cells, double[] encoded, int repeats, long seed) {
        int rows = cells.size();
        double baseline = score(model, cells, encoded);
        SplittableRandom random = new SplittableRandom(seed);
        List<Feature> features = new ArrayList<>();
        for (int f = 0; f < model.featureNames().size(); f++) {
            double[] drops = new double[repeats];
            for (int k = 0; k < repeats; k++) {
                List<List<Object>> shuffled = new ArrayList<>(rows);
                for (List<Object> row : cells) {
                    shuffled.add(new ArrayList<>(row));
                }
                // Fisher–Yates over the column's cells.
                for (int i = rows - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    Object cell = shuffled.get(i).get(f);
                    shuffled.get(i).set(f, shuffled.get(j).get(f));
                    shuffled.get(j).set(f, cell);
                }
                drops[k] = baseline - score(model, shuffled, encoded);
            }
            double mean = 0;
            for (double drop : drops) {
                mean += drop / repeats;
            }
            double variance = 0;
            for (double drop : drops) {
                variance += (drop - mean) * (drop - mean) / repeats;
            }
            features.add(new Feature(model.featureNames().get(f), mean, Math.sqrt(variance), drops));
        }
        return new Result(model.task() == dev.backprop.nn.Task.CLASSIFICATION ? "accuracy" : "r2", baseline, repeats, seed,
                features);
    }

    private static double score(TrainedModel model, List<List<Object>> cells, double[] encoded) {
        double[] outputs = model.outputs(cells, (r, f) -> "row " + r + ", feature " + f);
        MetricSet metrics = Metrics.evaluate(model.task(), outputs, encoded, cells.size(), model.network().spec().outputUnits());
        if (metrics instanceof MetricSet.Binary b) {
            return b.accuracy();
        }
        if (metrics instanceof MetricSet.Multiclass m) {
            return m.accuracy();
        }
        return ((MetricSet.Regression) metrics).r2();
    }
}
