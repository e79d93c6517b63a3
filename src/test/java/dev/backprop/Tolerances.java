package dev.backprop;

/** Every numeric tolerance the tests use, in one place, with the reason for its size. */
public final class Tolerances {

    /** Step of the central finite differences: small enough for O(h²) truncation, large enough for rounding. */
    public static final double GRADIENT_CHECK_STEP = 1e-6;
    /** Largest symmetric relative error between analytic and numeric gradients. */
    public static final double GRADIENT_CHECK_MAX_RELATIVE_ERROR = 1e-5;
    /** Below this absolute difference two gradients agree whatever their relative error (both ~0). */
    public static final double GRADIENT_CHECK_ABSOLUTE_FLOOR = 1e-8;
    /**
     * Hand-computed arithmetic in double precision, or the same short sums added in another order (another
     * BLAS, a batch against row by row): a few ulps of values below ~10, each 2⁻⁵² relative.
     */
    public static final double EXACT = 1e-12;
    /** Values printed to a few decimals by hand or in a paper. */
    public static final double HAND_ROUNDED = 1e-6;
    /**
     * {@link #EXACT} for regression targets in their own units (up to ~1200 here, ~1e-13 per ulp): 1e-12 relative
     * to them. Measured: at most 1e-14.
     */
    public static final double EXACT_IN_TARGET_UNITS = 1e-9;
    /**
     * A double product of up to 784 terms in (−1, 1) against the triple loop, split across threads, blocked or
     * transposed: only the order of the additions differs, each rounding at most 2⁻⁵³ of a partial sum below ~30,
     * so ~1e-12 in the worst case. Measured: at most 1e-13.
     */
    public static final double REORDERED_LONG_SUM = 1e-10;
    /**
     * float32 keeps 24 bits (2⁻²⁴ ≈ 6e-8 relative): a few roundings of values near 1, and a sum of k products of
     * numbers below 1 to k times this. Measured: 9e-8 per term of a product, 2e-8 on the golden xor model.
     */
    public static final double FLOAT32_ROUNDING = 1e-6;
    /**
     * A float32 network against the same float64 one, relative to the largest value compared (probabilities
     * and weights are below 1): layers of up to 120 inputs, each product rounded to 24 bits. Measured: at most
     * 3.3e-7 for the loss, the gradients, the outputs and the weights after three epochs.
     */
    public static final double FLOAT32_NETWORK = 1e-5;
    /**
     * Relative error of a variance estimated from 100 000 draws: one standard error is √(2/n) ≈ 0.45% for a
     * normal draw (less for a uniform one), so 5% is ten of them, while the scale rules told apart (fan-in,
     * fan-out, their mean) differ by 29% or more. Measured: at most 0.5%.
     */
    public static final double SAMPLE_VARIANCE_RELATIVE = 0.05;
    /**
     * A regression network's prediction of a smooth target (standard deviation ~1) after seconds of training:
     * its validation r² above 0.95 allows an rms error of √0.05 ≈ 0.22 of that deviation. Measured: 0.04.
     */
    public static final double PREDICTION_NEAR_TARGET = 0.2;

    private Tolerances() {
    }
    /**
     * An exported ONNX graph run by onnxruntime against Backprop's own predictions, both float64: the same
     * imputation and scaling, products summed in another order by another BLAS, exp and tanh from another
     * library. Measured on 1,000 rows: at most 2.2e-16 for probabilities, 1.1e-13 for values near 300.
     */
    public static final double ONNX_PARITY = 1e-5;
    /**
     * {@link #ONNX_PARITY} for a float32 graph against the service's float32 model: both multiply float32 weights
     * by float32 inputs, but the graph also scales, activates and adds in float32 where the service works in
     * float64 between the products, and its inputs are the raw values rounded to 24 bits (2⁻²⁴ ≈ 6e-8 relative).
     * Absolute for probabilities, relative to values beyond 1. Measured on 1,000 rows: at most 2.4e-7 for
     * probabilities, 3.1e-5 for values near 300 (1e-7 relative).
     */
    public static final double ONNX_PARITY_FLOAT32 = 1e-4;

    /**
     * Seconds an auto search may end after its budget: the trainer checks its time between mini-batches, and the
     * refit's model is evaluated and stored after its training stops; on a loaded 2-core machine that is well
     * under a second, so 3 seconds only fails when the budget is not honoured.
     */
    public static final double SEARCH_BUDGET_OVERRUN_SECONDS = 3;

    /**
     * A job's duration with three followers that never read against its duration alone, on 2 shared cores
     * (plus a second): publishing an event is an append to a ring, and the dispatchers that block on the full
     * sockets take a little CPU from the training thread while they fill them. Before the fix the job froze.
     */
    public static final double NEVER_READING_FOLLOWERS_SLOWDOWN = 2.0;

    /**
     * A job's phase times are rounded to the millisecond, as the trainer's elapsed time of an epoch is: the two
     * clocks read the same span within one millisecond of rounding.
     */
    public static final double TIMING_ROUNDING_SECONDS = 0.002;
}
