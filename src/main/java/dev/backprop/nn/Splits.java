package dev.backprop.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded holdout and k-fold splits of {@link LabeledData}, stratified by class when asked. */
public final class Splits {

    /** A training part and a validation part. */
    public record Split(LabeledData training, LabeledData validation) {
    }

    private Splits() {
    }

    /**
     * Holds out {@code fraction} of the rows for validation, chosen with {@code random}. With
     * {@code stratify}, each class contributes {@code round(fraction × its count)} rows (at least one
     * when the class has two or more), so small classes are not lost to chance.
     *
     * @throws IllegalArgumentException when the fraction is not in (0, 1) or leaves a part empty
     */
    public static Split holdout(LabeledData data, double fraction, boolean stratify, SplittableRandom random) {
        int[][] rows = holdoutRows(data, fraction, stratify, random);
        return new Split(data.subset(rows[0]), data.subset(rows[1]));
    }

    /**
     * The rows {@link #holdout} would choose: {@code [training rows, validation rows]}, each ascending.
     * Only the targets of {@code data} are read (for stratification).
     */
    public static int[][] holdoutRows(LabeledData data, double fraction, boolean stratify, SplittableRandom random) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), was " + fraction);
        }
        List<int[]> groups = stratify ? rowsByClass(data) : List.of(identity(data.rows()));
        List<Integer> training = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        for (int[] group : groups) {
            shuffleInPlace(group, random);
            int held = (int) Math.round(fraction * group.length);
            if (stratify && held == 0 && group.length >= 2) {
                held = 1;
            }
            for (int i = 0; i < group.length; i++) {
                (i < held ? validation : training).add(group[i]);
            }
        }
        if (training.isEmpty() || validation.isEmpty()) {
            throw new IllegalArgumentException("validation fraction " + fraction + " of " + data.rows()
                    + " rows leaves an empty training or validation set");
        }
        return new int[][]{sorted(training), sorted(validation)};
    }

    /**
     * Holds out the last {@code round(fraction × rows)} rows in their order, as Keras'
     * {@code validation_split} does.
     */
    public static Split lastRows(LabeledData data, double fraction) {
        int[][] rows = lastRowIndices(data.rows(), fraction);
        return new Split(data.subset(rows[0]), data.subset(rows[1]));
    }

    /** The rows {@link #lastRows} would choose: {@code [training rows, validation rows]}. */
    public static int[][] lastRowIndices(int rowCount, double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), was " + fraction);
        }
        int held = (int) Math.round(fraction * rowCount);
        if (held == 0 || held == rowCount) {
            throw new IllegalArgumentException("validation fraction " + fraction + " of " + rowCount
                    + " rows leaves an empty training or validation set");
        }
        int[] training = identity(rowCount - held);
        int[] validation = new int[held];
        for (int i = 0; i < held; i++) {
            validation[i] = rowCount - held + i;
        }
        return new int[][]{training, validation};
    }

    /**
     * Assigns every row to exactly one of {@code folds} folds: rows are shuffled (per class when
     * stratified) and dealt round-robin, so fold sizes differ by at most one (per class).
     *
     * @return the fold index of each row
     */
    public static int[] foldAssignment(LabeledData data, int folds, boolean stratify, SplittableRandom random) {
        if (folds < 2 || folds > data.rows()) {
            throw new IllegalArgumentException("folds must be between 2 and the row count " + data.rows() + ", was " + folds);
        }
        int[] fold = new int[data.rows()];
        List<int[]> groups = stratify ? rowsByClass(data) : List.of(identity(data.rows()));
        int next = 0;
        for (int[] group : groups) {
            shuffleInPlace(group, random);
            for (int row : group) {
                fold[row] = next;
                next = (next + 1) % folds;
            }
        }
        return fold;
    }

    /** Fisher–Yates shuffle driven by {@code random}. */
    public static void shuffleInPlace(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    /** {@code [0, 1, …, n − 1]}. */
    public static int[] identity(int n) {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return values;
    }

    private static List<int[]> rowsByClass(LabeledData data) {
        Map<Integer, List<Integer>> byClass = new LinkedHashMap<>();
        for (int row = 0; row < data.rows(); row++) {
            byClass.computeIfAbsent(data.classOf(row), k -> new ArrayList<>()).add(row);
        }
        List<int[]> groups = new ArrayList<>();
        byClass.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> groups.add(e.getValue().stream().mapToInt(Integer::intValue).toArray()));
        return groups;
    }

    private static int[] sorted(List<Integer> rows) {
        return rows.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
