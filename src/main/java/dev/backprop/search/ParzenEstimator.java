package dev.backprop.search;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The density of one dimension's values among a group of trials, the building block of the
 * Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio and Kégl, "Algorithms for
 * Hyper-Parameter Optimization", NeurIPS 2011, §4): a weighted mixture of one kernel per observed value
 * and one prior kernel over the whole range, so that a density fitted on one or two trials still reaches
 * every value. The kernels, their bandwidths and the prior follow Optuna's univariate
 * {@code _ParzenEstimator} with its defaults (prior weight 1, magic clip, no endpoint bandwidths).
 *
 * <p>Coordinates are the estimator's own: {@code ln x} for a log-uniform dimension, {@code x} for
 * uniform and int_uniform ones, the index of the value for a list.
 */
sealed interface ParzenEstimator permits ParzenEstimator.TruncatedGaussians, ParzenEstimator.SmoothedCounts {

    /** Weight of the prior kernel against each observation's weight of (up to) 1, as in the paper and Optuna. */
    double PRIOR_WEIGHT = 1.0;

    /** A draw from the density, in the estimator's coordinates. */
    double sample(SplittableRandom random);

    /** The natural log of the density at {@code x} (of the probability, for integers and lists). */
    double logDensity(double x);

    /**
     * A mixture of Gaussians truncated to {@code [low, high]}, one per observation plus a prior one centred
     * on the range with the range as its standard deviation.
     *
     * @param integers whether values are integers, {@code [low, high]} then being their range widened by
     *                 half a unit each side: draws are rounded and densities are the mass of the unit
     *                 interval around the integer, as Optuna does for a stepped distribution
     */
    static ParzenEstimator truncatedGaussians(double[] observed, double[] weights, double low, double high,
            boolean integers) {
        return new TruncatedGaussians(observed, weights, low, high, integers);
    }

    /**
     * Category probabilities from weighted counts smoothed by the prior, for a dimension given as a list:
     * numbers in a list are categories too (as in Optuna), since a list need not be evenly spaced or ordered.
     */
    static ParzenEstimator smoothedCounts(int[] observed, double[] weights, int categories) {
        return new SmoothedCounts(observed, weights, categories);
    }

    final class TruncatedGaussians implements ParzenEstimator {

        private static final double LOG_SQRT_TWO_PI = 0.5 * Math.log(2 * Math.PI);
        // A kernel keeps at least a third of its mass inside the range (its centre lies inside and its
        // standard deviation is at most the range), so rejection takes fewer than three draws on average;
        // the cap only guards against a broken random source.
        private static final int MAX_REJECTIONS = 1000;

        private final double low;
        private final double high;
        private final boolean integers;
        private final double[] means;
        private final double[] deviations;
        private final double[] logWeights;
        private final double[] cumulativeWeights;
        private final double[] logTruncatedMass;

        private TruncatedGaussians(double[] observed, double[] weights, double low, double high, boolean integers) {
            this.low = low;
            this.high = high;
            this.integers = integers;
            int kernels = observed.length + 1;
            double range = high - low;
            means = Arrays.copyOf(observed, kernels);
            means[observed.length] = 0.5 * (low + high);
            deviations = neighbourDistances(means, low, high);
            deviations[observed.length] = range;
            // Optuna's "magic clip" (from hyperopt): a kernel never narrows below range / min(100, 1 + kernels),
            // so that a few close observations do not collapse l(x) into spikes that stop exploration.
            double narrowest = range / Math.min(100.0, 1.0 + kernels);
            for (int k = 0; k < kernels; k++) {
                deviations[k] = Math.min(range, Math.max(narrowest, deviations[k]));
            }
            double[] mixture = Arrays.copyOf(weights, kernels);
            mixture[observed.length] = PRIOR_WEIGHT;
            double total = Arrays.stream(mixture).sum();
            logWeights = new double[kernels];
            cumulativeWeights = new double[kernels];
            logTruncatedMass = new double[kernels];
            double cumulative = 0;
            for (int k = 0; k < kernels; k++) {
                logWeights[k] = Math.log(mixture[k] / total);
                cumulative += mixture[k] / total;
                cumulativeWeights[k] = cumulative;
                logTruncatedMass[k] = logNormalMass((low - means[k]) / deviations[k], (high - means[k]) / deviations[k]);
            }
        }

        /**
         * The paper's bandwidth rule: each kernel is as wide as the larger gap to its neighbours among the
         * sorted centres, the range's ends counting as neighbours except for the outermost kernels, which
         * take their inner gap (Optuna's {@code consider_endpoints=False}) so that an observation near an
         * end is not given the whole empty stretch up to it.
         */
        private static double[] neighbourDistances(double[] centres, double low, double high) {
            Integer[] order = new Integer[centres.length];
            Arrays.setAll(order, k -> k);
            Arrays.sort(order, (a, b) -> Double.compare(centres[a], centres[b]));
            double[] sorted = new double[centres.length + 2];
            sorted[0] = low;
            sorted[sorted.length - 1] = high;
            for (int k = 0; k < centres.length; k++) {
                sorted[k + 1] = centres[order[k]];
            }
            double[] distances = new double[centres.length];
            for (int k = 0; k < centres.length; k++) {
                double left = sorted[k + 1] - sorted[k];
                double right = sorted[k + 2] - sorted[k + 1];
                boolean outermost = centres.length >= 2 && (k == 0 || k == centres.length - 1);
                distances[order[k]] = outermost ? (k == 0 ? right : left) : Math.max(left, right);
            }
            return distances;
        }

        @Override
        public double sample(SplittableRandom random) {
            double pick = random.nextDouble();
            int k = 0;
            while (k < cumulativeWeights.length - 1 && pick >= cumulativeWeights[k]) {
                k++;
            }
            double x = means[k];
            for (int attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
                double draw = means[k] + deviations[k] * random.nextGaussian();
                if (draw >= low && draw <= high) {
                    x = draw;
                    break;
                }
            }
            return integers ? Math.min(high - 0.5, Math.max(low + 0.5, Math.rint(x))) : x;
        }

        @Override
        public double logDensity(double x) {
            double[] terms = new double[means.length];
            double largest = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < means.length; k++) {
                double logKernel;
                if (integers) {
                    logKernel = logNormalMass((x - 0.5 - means[k]) / deviations[k], (x + 0.5 - means[k]) / deviations[k]);
                } else {
                    double z = (x - means[k]) / deviations[k];
                    logKernel = -0.5 * z * z - LOG_SQRT_TWO_PI - Math.log(deviations[k]);
                }
                terms[k] = logWeights[k] + logKernel - logTruncatedMass[k];
                largest = Math.max(largest, terms[k]);
            }
            if (largest == Double.NEGATIVE_INFINITY) {
                return largest;
            }
            double sum = 0;
            for (double term : terms) {
                sum += Math.exp(term - largest);
            }
            return largest + Math.log(sum);
        }

        /**
         * {@code ln(Φ(b) − Φ(a))} for {@code a < b}, accurate in both tails: on one side of the mean it is
         * taken from the upper-tail probabilities of the side away from the mean, in logs, so a kernel 40
         * standard deviations away (where the probabilities themselves underflow) still has a finite, right
         * value. An interval narrower than 1% of a standard deviation, where the difference would cancel,
         * takes the midpoint rule instead (relative error below 10⁻⁵ near the mean).
         */
        static double logNormalMass(double a, double b) {
            if (b - a < 0.01) {
                double middle = 0.5 * (a + b);
                return -0.5 * middle * middle - LOG_SQRT_TWO_PI + Math.log(b - a);
            }
            if (a >= 0 || b <= 0) {
                double near = a >= 0 ? a : -b;
                double far = a >= 0 ? b : -a;
                double logNear = logUpperTail(near);
                return logNear + Math.log1p(-Math.exp(logUpperTail(far) - logNear));
            }
            return Math.log(1 - Math.exp(logUpperTail(-a)) - Math.exp(logUpperTail(b)));
        }

        /** {@code ln P(Z > z)} for {@code z >= 0}. */
        private static double logUpperTail(double z) {
            return logErfcOfMagnitude(z / Math.sqrt(2)) - Math.log(2);
        }

        /**
         * The complementary error function by the Chebyshev fit of Press, Teukolsky, Vetterling and Flannery,
         * Numerical Recipes (2nd ed., §6.2, {@code erfcc}): relative error below 1.2·10⁻⁷ for every x, tails
         * included, which is all an acquisition ratio needs (the JDK has no erf).
         */
        static double erfc(double x) {
            double tail = Math.exp(logErfcOfMagnitude(x));
            return x >= 0 ? tail : 2 - tail;
        }

        /** {@code ln erfc(|x|)}, which the fit gives directly, so it stays finite where erfc underflows. */
        private static double logErfcOfMagnitude(double x) {
            double z = Math.abs(x);
            double t = 1 / (1 + 0.5 * z);
            return Math.log(t) - z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                    + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                    + t * (-0.82215223 + t * 0.17087277))))))));
        }
    }

    final class SmoothedCounts implements ParzenEstimator {

        private final double[] probabilities;

        /**
         * As Optuna: each observation's kernel puts {@code 1 + ε} on its own category and {@code ε} on each
         * other one, normalized, with {@code ε = PRIOR_WEIGHT / (observations + 1)}; the prior kernel is
         * uniform. So an unseen category keeps a chance that shrinks as trials accumulate but never vanishes.
         */
        private SmoothedCounts(int[] observed, double[] weights, int categories) {
            double smoothing = PRIOR_WEIGHT / (observed.length + 1);
            double total = PRIOR_WEIGHT + Arrays.stream(weights).sum();
            probabilities = new double[categories];
            Arrays.fill(probabilities, PRIOR_WEIGHT / total / categories);
            for (int i = 0; i < observed.length; i++) {
                double kernelWeight = weights[i] / total;
                double rowTotal = categories * smoothing + 1;
                for (int c = 0; c < categories; c++) {
                    probabilities[c] += kernelWeight * (smoothing + (c == observed[i] ? 1 : 0)) / rowTotal;
                }
            }
        }

        @Override
        public double sample(SplittableRandom random) {
            double pick = random.nextDouble();
            double cumulative = 0;
            for (int c = 0; c < probabilities.length - 1; c++) {
                cumulative += probabilities[c];
                if (pick < cumulative) {
                    return c;
                }
            }
            return probabilities.length - 1;
        }

        @Override
        public double logDensity(double x) {
            return Math.log(probabilities[(int) x]);
        }
    }
}
