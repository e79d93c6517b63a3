package dev.backprop.nn;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How a dense layer's weights (and, for {@code torch_default}, its biases) are drawn before training;
 * every other scheme starts the biases at zero.
 *
 * <ul>
 *   <li>{@code normal}: the tutorial's {@code N(0, 1) × scale} (default scale 0.1).</li>
 *   <li>{@code xavier}: Glorot uniform, {@code U(−√(6/(fanIn+fanOut)), +√(6/(fanIn+fanOut)))}
 *       (Glorot &amp; Bengio, 2010); keeps the variance of tanh and sigmoid layers steady.</li>
 *   <li>{@code he}: He normal, {@code N(0, 2/fanIn)} (He et al., 2015); made for the ReLU family.</li>
 *   <li>{@code torch_default}: PyTorch's default for {@code nn.Linear}, weights and biases both
 *       {@code U(−1/√fanIn, +1/√fanIn)} (Kaiming uniform with {@code a = √5}, which reduces to that
 *       bound); offered so that a network trained here starts where the same PyTorch network does.</li>
 * </ul>
 *
 * @param kind  which scheme
 * @param scale the standard deviation of {@code normal}; ignored by the others
 */
public record Initializer(Kind kind, double scale) {

    /** The available schemes. */
    public enum Kind {
        NORMAL, XAVIER, HE, TORCH_DEFAULT;

        /** The lowercase wire name. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The tutorial's scale for {@code normal}. */
    public static final double DEFAULT_NORMAL_SCALE = 0.1;

    public Initializer {
        if (kind == null) {
            throw new IllegalArgumentException("initializer kind is required");
        }
        if (!Double.isFinite(scale) || scale < 0) {
            throw new IllegalArgumentException("initializer scale must be finite and >= 0, was " + scale);
        }
    }

    public static Initializer normal(double scale) {
        return new Initializer(Kind.NORMAL, scale);
    }

    public static Initializer xavier() {
        return new Initializer(Kind.XAVIER, 0);
    }

    public static Initializer he() {
        return new Initializer(Kind.HE, 0);
    }

    public static Initializer torchDefault() {
        return new Initializer(Kind.TORCH_DEFAULT, 0);
    }

    /**
     * Parses a wire name with default parameters.
     *
     * @throws IllegalArgumentException naming the known initializers when the name is unknown
     */
    public static Initializer named(String name) {
        for (Kind kind : Kind.values()) {
            if (kind.wireName().equals(name)) {
                return new Initializer(kind, kind == Kind.NORMAL ? DEFAULT_NORMAL_SCALE : 0);
            }
        }
        throw new IllegalArgumentException("unknown initializer '" + name + "'; expected one of normal, xavier, he, torch_default");
    }

    /**
     * The default for a layer: He for the ReLU family, Xavier otherwise. (The tutorial's
     * {@code normal(0.1)} leaves its own XOR example stuck at loss 0.25, so it is never the default.)
     */
    public static Initializer defaultFor(Activation activation) {
        return activation.isReluFamily() ? he() : xavier();
    }

    /** Fills a {@code fanIn × fanOut} weight matrix from {@code random}. */
    public void initialize(double[] weights, int fanIn, int fanOut, SplittableRandom random) {
        int size = fanIn * fanOut;
        switch (kind) {
            case NORMAL -> {
                for (int i = 0; i < size; i++) {
                    weights[i] = random.nextGaussian() * scale;
                }
            }
            case XAVIER -> {
                double limit = Math.sqrt(6.0 / (fanIn + fanOut));
                for (int i = 0; i < size; i++) {
                    weights[i] = (2 * random.nextDouble() - 1) * limit;
                }
            }
            case HE -> {
                double std = Math.sqrt(2.0 / fanIn);
                for (int i = 0; i < size; i++) {
                    weights[i] = random.nextGaussian() * std;
                }
            }
            case TORCH_DEFAULT -> uniform(weights, size, 1 / Math.sqrt(fanIn), random);
        }
    }

    /**
     * Fills a layer's {@code fanOut} biases from {@code random} (drawn after its weights): uniform in
     * {@code ±1/√fanIn} for {@code torch_default}, zero for every other scheme.
     */
    public void initializeBias(double[] bias, int fanIn, SplittableRandom random) {
        if (kind == Kind.TORCH_DEFAULT) {
            uniform(bias, bias.length, 1 / Math.sqrt(fanIn), random);
        } else {
            java.util.Arrays.fill(bias, 0);
        }
    }

    private static void uniform(double[] values, int size, double limit, SplittableRandom random) {
        for (int i = 0; i < size; i++) {
            values[i] = (2 * random.nextDouble() - 1) * limit;
        }
    }
}
