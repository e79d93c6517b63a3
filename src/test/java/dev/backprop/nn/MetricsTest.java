package dev.backprop.nn;

import static dev.backprop.Tolerances.EXACT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void binaryMetricsByHand() {
        // actual:    1    1    1    0    0    0    0    1
        // score:    .9   .8   .3   .6   .2   .1   .4   .7   → predicted at 0.5: 1 1 0 1 0 0 0 1
        double[] p = {0.9, 0.8, 0.3, 0.6, 0.2, 0.1, 0.4, 0.7};
        int[] y = {1, 1, 1, 0, 0, 0, 0, 1};
        MetricSet.Binary m = Metrics.binary(p, y, 0.5);
        // TP 3 (.9 .8 .7), FN 1 (.3), FP 1 (.6), TN 3
        assertThat(m.confusion()).isDeepEqualTo(new long[][]{{3, 1}, {1, 3}});
        assertThat(m.accuracy()).isEqualTo(0.75);
        assertThat(m.precision()).isEqualTo(0.75);
        assertThat(m.recall()).isEqualTo(0.75);
        assertThat(m.f1()).isCloseTo(0.75, within(EXACT));
        // positives' scores .9 .8 .3 .7 against negatives .6 .2 .1 .4: pairs won 4+4+2+4 = 14 of 16
        assertThat(m.rocAuc()).isCloseTo(14.0 / 16, within(EXACT));
        double logLoss = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.3) + Math.log(0.4) + Math.log(0.8) + Math.log(0.9)
                + Math.log(0.6) + Math.log(0.7)) / 8;
        assertThat(m.logLoss()).isCloseTo(logLoss, within(EXACT));
        assertThat(m.threshold()).isEqualTo(0.5);
    }

    @Test
    void thresholdMovesTheDecision() {
        MetricSet.Binary m = Metrics.binary(new double[]{0.3, 0.6}, new int[]{1, 0}, 0.25);
        assertThat(m.confusion()).isDeepEqualTo(new long[][]{{0, 1}, {0, 1}});
    }

    @Test
    void edgeCasesAreDefinedNeverNaN() {
        MetricSet.Binary noPositivePredicted = Metrics.binary(new double[]{0.1, 0.2, 0.3}, new int[]{1, 0, 0}, 0.5);
        assertThat(noPositivePredicted.precision()).isZero();
        assertThat(noPositivePredicted.recall()).isZero();
        assertThat(noPositivePredicted.f1()).isZero();
        MetricSet.Binary oneClass = Metrics.binary(new double[]{0.1, 0.9}, new int[]{0, 0}, 0.5);
        assertThat(oneClass.rocAuc()).isNull();
        assertThat(oneClass.recall()).isZero();
        MetricSet.Binary certainAndWrong = Metrics.binary(new double[]{0.0, 1.0}, new int[]{1, 0}, 0.5);
        // both rows clipped: −log(1e-15) and −log(1 − (1 − 1e-15)), the latter rounded in double
        assertThat(certainAndWrong.logLoss()).isFinite()
                .isCloseTo((-Math.log(1e-15) - Math.log(1 - (1 - 1e-15))) / 2, within(EXACT));
    }

    @Test
    void aucMatchesABruteForcePairCountWithTies() {
        SplittableRandom random = new SplittableRandom(9);
        for (int trial = 0; trial < 20; trial++) {
            int n = 5 + random.nextInt(60);
            double[] scores = new double[n];
            boolean[] positive = new boolean[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(10) / 10.0; // coarse scores force ties
                positive[i] = random.nextBoolean();
            }
            double won = 0;
            long pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (positive[i] && !positive[j]) {
                        pairs++;
                        won += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    }
                }
            }
            Double auc = Metrics.rocAuc(scores, positive);
            if (pairs == 0) {
                assertThat(auc).isNull();
            } else {
                assertThat(auc).isCloseTo(won / pairs, within(EXACT));
            }
        }
    }

    @Test
    void multiclassByHand() {
        // three classes; predictions by argmax: rows → 0, 1, 1, 2, 2, 0
        double[] p = {
                0.7, 0.2, 0.1,
                0.1, 0.8, 0.1,
                0.3, 0.4, 0.3,
                0.1, 0.1, 0.8,
                0.2, 0.2, 0.6,
                0.5, 0.3, 0.2};
        int[] y = {0, 1, 0, 2, 1, 2};
        MetricSet.Multiclass m = Metrics.multiclass(p, y, 3);
        assertThat(m.confusion()).isDeepEqualTo(new long[][]{{1, 1, 0}, {0, 1, 1}, {1, 0, 1}});
        assertThat(m.accuracy()).isCloseTo(0.5, within(EXACT));
        // each class: precision 1/2, recall 1/2, support 2
        for (MetricSet.ClassMetrics c : m.perClass()) {
            assertThat(c.precision()).isEqualTo(0.5);
            assertThat(c.recall()).isEqualTo(0.5);
            assertThat(c.support()).isEqualTo(2);
        }
        assertThat(m.macroF1()).isCloseTo(0.5, within(EXACT));
        assertThat(m.weightedF1()).isCloseTo(0.5, within(EXACT));
        double logLoss = -(Math.log(0.7) + Math.log(0.8) + Math.log(0.3) + Math.log(0.8) + Math.log(0.2) + Math.log(0.2)) / 6;
        assertThat(m.logLoss()).isCloseTo(logLoss, within(EXACT));
        assertThat(m.macroRocAuc()).isBetween(0.0, 1.0);
    }

    @Test
    void weightedAveragesFollowSupport() {
        // class 0: 3 rows all right; class 1: 1 row predicted as 0
        double[] p = {0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4};
        MetricSet.Multiclass m = Metrics.multiclass(p, new int[]{0, 0, 0, 1}, 2);
        // class 0: precision 3/4, recall 1; class 1: precision 0 (nothing predicted), recall 0
        assertThat(m.macroPrecision()).isCloseTo(0.375, within(EXACT));
        assertThat(m.weightedPrecision()).isCloseTo(0.75 * 0.75, within(EXACT));
        assertThat(m.weightedRecall()).isCloseTo(0.75, within(EXACT));
    }

    @Test
    void regressionByHand() {
        double[] predicted = {2.5, 0.0, 2.0, 8.0};
        double[] actual = {3.0, -0.5, 2.0, 7.0};
        MetricSet.Regression m = Metrics.regression(predicted, actual, 4, 1);
        // the scikit-learn documentation's example: MSE 0.375, MAE 0.5, R² 0.948608...
        assertThat(m.mse()).isCloseTo(0.375, within(EXACT));
        assertThat(m.rmse()).isCloseTo(Math.sqrt(0.375), within(EXACT));
        assertThat(m.mae()).isCloseTo(0.5, within(EXACT));
        assertThat(m.r2()).isCloseTo(1 - 1.5 / 29.1875, within(EXACT));
    }

    @Test
    void rSquaredOfConstantTargets() {
        assertThat(Metrics.regression(new double[]{1, 1}, new double[]{1, 1}, 2, 1).r2()).isEqualTo(1.0);
        assertThat(Metrics.regression(new double[]{1, 2}, new double[]{1, 1}, 2, 1).r2()).isEqualTo(0.0);
    }

    @Test
    void evaluatePicksTheFamilyFromTaskAndOutputs() {
        assertThat(Metrics.evaluate(Task.CLASSIFICATION, new double[]{0.9, 0.1}, new double[]{1, 0}, 2, 1))
                .isInstanceOf(MetricSet.Binary.class);
        assertThat(Metrics.evaluate(Task.CLASSIFICATION, new double[]{0.9, 0.1, 0.2, 0.8}, new double[]{1, 0, 0, 1}, 2, 2))
                .isInstanceOf(MetricSet.Multiclass.class);
        assertThat(Metrics.evaluate(Task.REGRESSION, new double[]{0.9, 0.1}, new double[]{1, 0}, 2, 1))
                .isInstanceOf(MetricSet.Regression.class);
    }
}
