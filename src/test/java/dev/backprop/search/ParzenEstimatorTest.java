package dev.backprop.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.Tolerances;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParzenEstimatorTest {

    /** Relative accuracy Numerical Recipes states for its erfc fit. */
    private static final double ERFC_RELATIVE_ERROR = 1.2e-7;

    @Test
    void erfcMatchesTabulatedValuesIntoTheTails() {
        // values from Abramowitz and Stegun, table 7.1, and erfc(5) = 1.5374597944280e-12
        assertThat(ParzenEstimator.TruncatedGaussians.erfc(0)).isCloseTo(1, within(ERFC_RELATIVE_ERROR));
        assertThat(ParzenEstimator.TruncatedGaussians.erfc(1)).isCloseTo(0.157299207050285, within(0.16 * ERFC_RELATIVE_ERROR));
        assertThat(ParzenEstimator.TruncatedGaussians.erfc(-1)).isCloseTo(1.842700792949715, within(1.9 * ERFC_RELATIVE_ERROR));
        assertThat(ParzenEstimator.TruncatedGaussians.erfc(5) / 1.5374597944280e-12).isCloseTo(1, within(ERFC_RELATIVE_ERROR));
    }

    @Test
    void aNarrowIntervalsMassIsItsWidthTimesTheDensity() {
        double width = 1e-4;
        double density = Math.exp(-0.5) / Math.sqrt(2 * Math.PI);
        assertThat(Math.exp(ParzenEstimator.TruncatedGaussians.logNormalMass(1, 1 + width)) / (width * density))
                .isCloseTo(1, within(1e-3));
        // 60 standard deviations out, where the tail probabilities underflow: ln Q(60) by the asymptotic
        // series ln(φ(60) / 60 · (1 − 1/60² + 3/60⁴)), Q(61) being e⁻⁶⁰ times smaller
        double expected = -1800 - 0.5 * Math.log(2 * Math.PI) - Math.log(60) + Math.log(1 - 1.0 / 3600 + 3.0 / (3600 * 3600));
        assertThat(ParzenEstimator.TruncatedGaussians.logNormalMass(60, 61)).isCloseTo(expected, within(1e-5));
        assertThat(ParzenEstimator.TruncatedGaussians.logNormalMass(-61, -60)).isCloseTo(expected, within(1e-5));
        assertThat(Math.exp(ParzenEstimator.TruncatedGaussians.logNormalMass(-1, 2)))
                .isCloseTo(0.818594614, within(ERFC_RELATIVE_ERROR));
    }

    @Test
    void densitiesIntegrateToOneInsideTheirRange() {
        double[] observed = {0.1, 0.15, 0.9};
        double[] weights = {1, 1, 1};
        ParzenEstimator continuous = ParzenEstimator.truncatedGaussians(observed, weights, 0, 1, false);
        int steps = 100_000;
        double integral = 0;
        for (int i = 0; i < steps; i++) {
            integral += Math.exp(continuous.logDensity((i + 0.5) / steps)) / steps;
        }
        assertThat(integral).isCloseTo(1, within(1e-6));

        ParzenEstimator integers = ParzenEstimator.truncatedGaussians(new double[] {1, 1, 3}, weights, 0.5, 3.5, true);
        double total = Math.exp(integers.logDensity(1)) + Math.exp(integers.logDensity(2)) + Math.exp(integers.logDensity(3));
        assertThat(total).isCloseTo(1, within(Tolerances.HAND_ROUNDED));
        assertThat(integers.logDensity(1)).isGreaterThan(integers.logDensity(3)).isGreaterThan(integers.logDensity(2));

        ParzenEstimator categories = ParzenEstimator.smoothedCounts(new int[] {2, 2, 0}, weights, 4);
        double sum = 0;
        for (int c = 0; c < 4; c++) {
            sum += Math.exp(categories.logDensity(c));
        }
        assertThat(sum).isCloseTo(1, within(Tolerances.EXACT));
        assertThat(categories.logDensity(1)).isEqualTo(categories.logDensity(3)).isGreaterThan(Double.NEGATIVE_INFINITY);
    }

    @Test
    void drawsFollowTheDensityAndStayInRange() {
        ParzenEstimator integers = ParzenEstimator.truncatedGaussians(new double[] {1, 1, 3}, new double[] {1, 1, 1}, 0.5, 3.5, true);
        SplittableRandom random = new SplittableRandom(1);
        int[] counts = new int[4];
        int draws = 20_000;
        for (int i = 0; i < draws; i++) {
            double x = integers.sample(random);
            assertThat(x).isIn(1.0, 2.0, 3.0);
            counts[(int) x]++;
        }
        for (int x = 1; x <= 3; x++) {
            // four standard errors of a proportion near 0.4 over 20,000 draws
            assertThat(counts[x] / (double) draws).isCloseTo(Math.exp(integers.logDensity(x)), within(0.015));
        }
    }
}
