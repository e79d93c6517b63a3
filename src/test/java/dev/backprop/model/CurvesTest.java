package dev.backprop.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.Tolerances;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The curves of scikit-learn's own documentation example (y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8]). */
class CurvesTest {

    private final Curves.BinaryCurves curves = Curves.of(new double[]{0.1, 0.4, 0.35, 0.8}, new boolean[]{false, false, true, true});

    @Test
    void rocPointsAreThoseOfRocCurve() {
        double[][] expected = {{0, 0}, {0, 0.5}, {0.5, 0.5}, {0.5, 1}, {1, 1}};
        Double[] thresholds = {null, 0.8, 0.4, 0.35, 0.1};
        assertThat(curves.roc()).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(curves.roc().get(i).threshold()).isEqualTo(thresholds[i]);
            assertThat(curves.roc().get(i).falsePositiveRate()).isCloseTo(expected[i][0], Offset.offset(Tolerances.EXACT));
            assertThat(curves.roc().get(i).truePositiveRate()).isCloseTo(expected[i][1], Offset.offset(Tolerances.EXACT));
        }
    }

    @Test
    void precisionRecallPointsAreThoseOfPrecisionRecallCurve() {
        double[] precision = {0.5, 2.0 / 3, 0.5, 1, 1};
        double[] recall = {1, 1, 0.5, 0.5, 0};
        Double[] thresholds = {0.1, 0.35, 0.4, 0.8, null};
        assertThat(curves.precisionRecall()).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(curves.precisionRecall().get(i).threshold()).isEqualTo(thresholds[i]);
            assertThat(curves.precisionRecall().get(i).precision()).isCloseTo(precision[i], Offset.offset(Tolerances.EXACT));
            assertThat(curves.precisionRecall().get(i).recall()).isCloseTo(recall[i], Offset.offset(Tolerances.EXACT));
        }
    }

    @Test
    void oneClassHasNoCurveAndLongCurvesAreThinnedKeepingTheirEnds() {
        assertThat(Curves.of(new double[]{0.2, 0.7}, new boolean[]{true, true})).isNull();
        int n = 1000;
        double[] scores = new double[n];
        boolean[] positive = new boolean[n];
        for (int i = 0; i < n; i++) {
            scores[i] = i / (double) n;
            positive[i] = i % 3 == 0;
        }
        Curves.BinaryCurves thinned = Curves.of(scores, positive);
        assertThat(thinned.roc()).hasSize(Curves.MAX_POINTS);
        assertThat(thinned.roc().get(0).threshold()).isNull();
        assertThat(thinned.roc().get(Curves.MAX_POINTS - 1).falsePositiveRate()).isEqualTo(1.0);
        assertThat(thinned.precisionRecall().get(Curves.MAX_POINTS - 1).recall()).isEqualTo(0.0);
    }

    @Test
    void eachClassOfAMulticlassModelGetsItsOneVsRestCurvesWhoseAreaIsThatClasssRocAuc() {
        // Six rows of three classes (and a fourth label without rows, which has no curve): probabilities per row.
        double[][] rows = {{0.7, 0.2, 0.1, 0}, {0.3, 0.4, 0.3, 0}, {0.2, 0.5, 0.3, 0}, {0.1, 0.3, 0.6, 0}, {0.5, 0.1, 0.4, 0},
                {0.2, 0.2, 0.6, 0}};
        int[] actual = {0, 0, 1, 2, 1, 2};
        double[] probabilities = java.util.Arrays.stream(rows).flatMapToDouble(java.util.Arrays::stream).toArray();
        java.util.List<Curves.ClassCurves> curves = Curves.oneVsRest(probabilities, actual, java.util.List.of("a", "b", "c", "d"));
        assertThat(curves).extracting(Curves.ClassCurves::label).containsExactly("a", "b", "c");
        for (int c = 0; c < 3; c++) {
            double[] scores = new double[rows.length];
            boolean[] positive = new boolean[rows.length];
            for (int r = 0; r < rows.length; r++) {
                scores[r] = rows[r][c];
                positive[r] = actual[r] == c;
            }
            java.util.List<Curves.RocPoint> roc = curves.get(c).rocCurve();
            double area = 0;
            for (int i = 1; i < roc.size(); i++) {
                area += (roc.get(i).falsePositiveRate() - roc.get(i - 1).falsePositiveRate())
                        * (roc.get(i).truePositiveRate() + roc.get(i - 1).truePositiveRate()) / 2;
            }
            assertThat(area).as("class %d", c).isCloseTo(dev.backprop.nn.Metrics.rocAuc(scores, positive), Offset.offset(Tolerances.EXACT));
            assertThat(curves.get(c).precisionRecallCurve().get(curves.get(c).precisionRecallCurve().size() - 1).recall()).isZero();
        }
        // Class a: its rows score 0.7 and 0.3; a b row's 0.5 lies between them, and two rows tie at 0.2 (one point).
        assertThat(curves.get(0).rocCurve()).extracting(Curves.RocPoint::truePositiveRate).containsExactly(0.0, 0.5, 0.5, 1.0, 1.0, 1.0);
    }
}
