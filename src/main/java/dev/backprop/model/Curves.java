package dev.backprop.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The ROC and precision–recall curves of a binary classifier, as scikit-learn's {@code roc_curve} and
 * {@code precision_recall_curve} compute them: one point per distinct score, the positive class predicted
 * at or above it. Long curves are thinned to {@link #MAX_POINTS} evenly spaced points (ends kept), which is
 * more than a plot can show. A classifier of more than two classes gets one pair per class, that class against
 * the rest ({@link #oneVsRest}), as scikit-learn's multi-class ROC and precision–recall examples draw them.
 */
public final class Curves {

    /** Points of one curve at most. */
    static final int MAX_POINTS = 201;

    private Curves() {
    }

    /**
     * A point of a ROC curve.
     *
     * @param threshold the positive class is predicted at or above it; null for the first point, above every score
     */
    public record RocPoint(Double threshold, double falsePositiveRate, double truePositiveRate) {
    }

    /**
     * A point of a precision–recall curve.
     *
     * @param threshold the positive class is predicted at or above it; null for the last point (recall 0, precision 1)
     */
    public record PrecisionRecallPoint(Double threshold, double precision, double recall) {
    }

    /** Both curves of positive-class probabilities against actual classes (1 positive, 0 negative). */
    public record BinaryCurves(List<RocPoint> roc, List<PrecisionRecallPoint> precisionRecall) {
    }

    /**
     * One class's curves against the rest.
     *
     * @param label the class as the client gave it
     */
    public record ClassCurves(Object label, List<RocPoint> rocCurve, List<PrecisionRecallPoint> precisionRecallCurve) {
    }

    /**
     * The one-vs-rest curves of each class: its probability as the score, its rows as the positives. A class
     * without rows, or with every row, has none (a curve needs both sides).
     *
     * @param probabilities row-major {@code rows × labels.size()} class probabilities
     * @param actual        each row's class index
     */
    public static List<ClassCurves> oneVsRest(double[] probabilities, int[] actual, List<Object> labels) {
        int classes = labels.size();
        List<ClassCurves> curves = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            double[] scores = new double[actual.length];
            boolean[] positive = new boolean[actual.length];
            for (int r = 0; r < actual.length; r++) {
                scores[r] = probabilities[r * classes + c];
                positive[r] = actual[r] == c;
            }
            BinaryCurves binary = of(scores, positive);
            if (binary != null) {
                curves.add(new ClassCurves(labels.get(c), binary.roc(), binary.precisionRecall()));
            }
        }
        return curves;
    }

    /** The curves of scores against labels; null when one class is absent (a curve needs both). */
    public static BinaryCurves of(double[] scores, boolean[] positive) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        long positives = 0;
        for (boolean p : positive) {
            positives += p ? 1 : 0;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return null;
        }
        List<RocPoint> roc = new ArrayList<>(List.of(new RocPoint(null, 0, 0)));
        List<PrecisionRecallPoint> pr = new ArrayList<>();
        long truePositives = 0;
        long falsePositives = 0;
        for (int k = 0; k < order.length; k++) {
            if (positive[order[k]]) {
                truePositives++;
            } else {
                falsePositives++;
            }
            double score = scores[order[k]];
            if (k + 1 < order.length && scores[order[k + 1]] == score) {
                continue;
            }
            roc.add(new RocPoint(score, (double) falsePositives / negatives, (double) truePositives / positives));
            pr.add(new PrecisionRecallPoint(score, (double) truePositives / (truePositives + falsePositives),
                    (double) truePositives / positives));
        }
        // scikit-learn lists precision–recall from the lowest threshold up and ends at recall 0, precision 1.
        java.util.Collections.reverse(pr);
        pr.add(new PrecisionRecallPoint(null, 1, 0));
        return new BinaryCurves(thinned(roc), thinned(pr));
    }

    private static <T> List<T> thinned(List<T> points) {
        if (points.size() <= MAX_POINTS) {
            return points;
        }
        List<T> kept = new ArrayList<>(MAX_POINTS);
        for (int i = 0; i < MAX_POINTS; i++) {
            kept.add(points.get((int) Math.round((double) i * (points.size() - 1) / (MAX_POINTS - 1))));
        }
        return kept;
    }
}
