package dev.backprop;

/** Every numeric tolerance the tests use, in one place, with the reason for its size. */
public final class Tolerances {

    /** Step of the central finite differences: small enough for O(h²) truncation, large enough for rounding. */
    public static final double GRADIENT_CHECK_STEP = 1e-6;
    /** Largest symmetric relative error between analytic and numeric gradients. */
    public static final double GRADIENT_CHECK_MAX_RELATIVE_ERROR = 1e-5;
    /** Below this absolute difference two gradients agree whatever their relative error (both ~0). */
    public static final double GRADIENT_CHECK_ABSOLUTE_FLOOR = 1e-8;
    /** Hand-computed arithmetic in double precision. */
    public static final double EXACT = 1e-12;
    /** Values printed to a few decimals by hand or in a paper. */
    public static final double HAND_ROUNDED = 1e-6;

    private Tolerances() {
    }
}
