package dev.backprop.nn;

import static dev.backprop.Tolerances.EXACT;
import static dev.backprop.Tolerances.FLOAT32_ROUNDING;
import static dev.backprop.Tolerances.REORDERED_LONG_SUM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GemmTest {

    /** Products above the split threshold, split by rows (m ≥ n) and by columns, sizes off the block alignment. */
    private static final int[][] SPLIT_SHAPES = {{203, 97, 301}, {45, 517, 263}, {128, 256, 784}, {784, 256, 128},
            {64, 256, 784}, {32, 784, 256}};

    @Test
    void rowMajorProductsWithEveryTranspositionMatchTheTripleLoop() {
        SplittableRandom random = new SplittableRandom(1);
        int m = 7, n = 5, k = 3;
        double[] a = random.doubles(m * k).toArray();
        double[] b = random.doubles(k * n).toArray();
        double[] expected = new double[m * n];
        NaiveProduct.multiply(m, n, k, a, b, expected);

        double[] c = new double[m * n];
        Gemm.multiply(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
        assertThat(c).containsExactly(expected, within(EXACT));

        double[] aT = transpose(a, m, k);
        double[] bT = transpose(b, k, n);
        Gemm.multiply(true, true, m, n, k, 1, aT, m, bT, k, 0, c, n);
        assertThat(c).containsExactly(expected, within(EXACT));
        Gemm.multiply(true, false, m, n, k, 1, aT, m, b, n, 0, c, n);
        assertThat(c).containsExactly(expected, within(EXACT));
        Gemm.multiply(false, true, m, n, k, 1, a, k, bT, k, 0, c, n);
        assertThat(c).containsExactly(expected, within(EXACT));
    }

    @Test
    void aProductSplitAcrossThreadsIsBitIdenticalToTheSerialOne() {
        assertThat(ParallelBlocks.threads()).as("the test JVM sees more than one core").isGreaterThan(1);
        SplittableRandom random = new SplittableRandom(2);
        // rows split (m >= n) and columns split (m < n), sizes that are not multiples of the block alignment
        int[][] shapes = {{203, 97, 301}, {45, 517, 263}, {128, 256, 784}, {784, 256, 128}, {32, 784, 256}, {19, 300, 400}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            assertThat(2L * m * n * k).isGreaterThanOrEqualTo(Gemm.PARALLEL_MIN_FLOPS);
            Operands o = Operands.random(random, m, n, k);
            for (int variant = 0; variant < 4; variant++) {
                boolean ta = (variant & 1) != 0, tb = (variant & 2) != 0;
                double[] serial = o.start.clone();
                double[] split = o.start.clone();
                Gemm.multiplyInJava(ta, tb, m, n, k, 0.5, o.a(ta), o.lda(ta), o.b(tb), o.ldb(tb), 1.0, serial, n, 1);
                Gemm.multiplyInJava(ta, tb, m, n, k, 0.5, o.a(ta), o.lda(ta), o.b(tb), o.ldb(tb), 1.0, split, n, 2);
                assertThat(java.util.Arrays.mismatch(split, serial)).as("first element that differs, shape %s, transposes %s/%s",
                        java.util.Arrays.toString(shape), ta, tb).isEqualTo(-1);
                double worst = 0;
                for (int i = 0; i < o.expected.length; i++) {
                    worst = Math.max(worst, Math.abs(split[i] - (o.start[i] + 0.5 * o.expected[i])));
                }
                assertThat(worst).isLessThan(REORDERED_LONG_SUM);
            }
        }
    }

    @Test
    void largeProductsWithEveryTranspositionMatchTheTripleLoopWhicheverBlasComputesThem() {
        SplittableRandom random = new SplittableRandom(3);
        int m = 130, n = 70, k = 90;
        assertThat(2L * m * n * k).isGreaterThanOrEqualTo(Gemm.NATIVE_MIN_FLOPS);
        Operands o = Operands.random(random, m, n, k);
        for (int variant = 0; variant < 4; variant++) {
            boolean ta = (variant & 1) != 0, tb = (variant & 2) != 0;
            double[] c = new double[m * n];
            Gemm.multiply(ta, tb, m, n, k, 1.0, o.a(ta), o.lda(ta), o.b(tb), o.ldb(tb), 0.0, c, n);
            assertThat(c).as("transposes %s/%s", ta, tb).containsExactly(o.expected, within(REORDERED_LONG_SUM));
        }
    }

    /**
     * Single-row predictions are products with one row: the small ones run on plain loops, not on VectorBLAS, whose
     * {@code gemv} runs on the vector API's uncompiled fallback in a young JVM; the large ones on the native BLAS.
     */
    @Test
    void smallProductsWithOneRowOrOneColumnRunOnPlainLoops() {
        // the T4 network's last layer, a tiny one, one column, one row of one column
        int[][] shapes = {{1, 10, 128}, {1, 4, 8}, {41, 1, 29}, {1, 1, 17}};
        for (int[] shape : shapes) {
            assertThat(Gemm.implementationNameFor(shape[0], shape[1], shape[2])).as("shape %s", java.util.Arrays.toString(shape))
                    .isEqualTo(VectorLoops.class.getSimpleName());
        }
        assertThat(Gemm.implementationNameFor(7, 5, 3)).as("a small product with more than one row and column")
                .isEqualTo(Gemm.implementationName());
        if (Gemm.usesNativeBlas()) {
            assertThat(Gemm.implementationNameFor(1, 256, 784)).isEqualTo(dev.ludovic.netlib.blas.NativeBLAS.getInstance().getClass()
                    .getSimpleName());
        }
    }

    /** The loops' {@code beta = 0} ignores what C held, as BLAS does: NaN there must not leak into the product. */
    @Test
    void aSmallOneRowProductWithBetaZeroIgnoresWhatTheOutputHeld() {
        double[] c = {Double.NaN, Double.NaN};
        Gemm.multiply(false, false, 1, 2, 3, 1.0, new double[]{1, 2, 3}, 3, new double[]{1, 0, 0, 1, 1, 1}, 2, 0.0, c, 2);
        assertThat(c).containsExactly(4, 5);
        float[] f = {Float.NaN, Float.NaN};
        Gemm.multiply(false, false, 1, 2, 3, 1.0f, new float[]{1, 2, 3}, 3, new float[]{1, 0, 0, 1, 1, 1}, 2, 0.0f, f, 2);
        assertThat(f).containsExactly(4, 5);
    }

    @Test
    void productsWithOneRowOrOneColumnMatchTheTripleLoop() {
        SplittableRandom random = new SplittableRandom(4);
        int[][] shapes = {{1, 37, 53}, {41, 1, 29}, {1, 1, 17}, {1, 256, 784}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            Operands o = Operands.random(random, m, n, k);
            for (int variant = 0; variant < 4; variant++) {
                boolean ta = (variant & 1) != 0, tb = (variant & 2) != 0;
                double[] c = o.start.clone();
                Gemm.multiply(ta, tb, m, n, k, 2.0, o.a(ta), o.lda(ta), o.b(tb), o.ldb(tb), 0.5, c, n);
                for (int i = 0; i < c.length; i++) {
                    assertThat(c[i]).as("shape %s, transposes %s/%s, element %d", java.util.Arrays.toString(shape), ta, tb, i)
                            .isCloseTo(0.5 * o.start[i] + 2.0 * o.expected[i], within(REORDERED_LONG_SUM));
                }
            }
        }
    }

    @Test
    void aNativeProductSplitAcrossThreadsIsBitIdenticalToTheSerialOne() {
        assumeTrue(Gemm.usesNativeBlas(), "no native BLAS here");
        SplittableRandom random = new SplittableRandom(5);
        int[][] shapes = {{203, 97, 301}, {45, 517, 263}, {128, 256, 784}, {784, 256, 128}, {64, 256, 784}, {32, 784, 256}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            double[] a = random.doubles(m * k, -1, 1).toArray();
            double[] b = random.doubles(k * n, -1, 1).toArray();
            double[] start = random.doubles(m * n, -1, 1).toArray();
            double[] serial = start.clone();
            double[] split = start.clone();
            Gemm.multiplyNatively(false, false, m, n, k, 0.5, a, k, b, n, 1.0, serial, n, 1);
            Gemm.multiplyNatively(false, false, m, n, k, 0.5, a, k, b, n, 1.0, split, n, 2);
            assertThat(java.util.Arrays.mismatch(split, serial)).as("first element that differs, shape %s",
                    java.util.Arrays.toString(shape)).isEqualTo(-1);
        }
    }

    @Test
    void floatProductsOfEveryShapeAndTranspositionMatchTheTripleLoopWithinFloatRounding() {
        SplittableRandom random = new SplittableRandom(6);
        // small (Java BLAS), large (native when there is one, split across threads), one row, one column
        int[][] shapes = {{7, 5, 3}, {130, 70, 90}, {128, 256, 784}, {1, 256, 784}, {41, 1, 29}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            Operands o = Operands.random(random, m, n, k);
            for (int variant = 0; variant < 4; variant++) {
                boolean ta = (variant & 1) != 0, tb = (variant & 2) != 0;
                float[] c = toFloat(o.start);
                Gemm.multiply(ta, tb, m, n, k, 2.0f, toFloat(o.a(ta)), o.lda(ta), toFloat(o.b(tb)), o.ldb(tb), 0.5f, c, n);
                for (int i = 0; i < c.length; i++) {
                    // float32 keeps 24 bits: a sum of k products of numbers below 1 is good to about k·2⁻²⁴
                    assertThat((double) c[i]).as("shape %s, transposes %s/%s, element %d", java.util.Arrays.toString(shape), ta, tb, i)
                            .isCloseTo(0.5 * o.start[i] + 2.0 * o.expected[i], within(k * FLOAT32_ROUNDING));
                }
            }
        }
    }

    @Test
    void aFloatProductSplitAcrossThreadsIsBitIdenticalToTheSerialOneOnTheJavaBlas() {
        SplittableRandom random = new SplittableRandom(7);
        for (int[] shape : SPLIT_SHAPES) {
            int m = shape[0], n = shape[1], k = shape[2];
            Operands o = Operands.random(random, m, n, k);
            for (int variant = 0; variant < 4; variant++) {
                boolean ta = (variant & 1) != 0, tb = (variant & 2) != 0;
                float[] a = toFloat(o.a(ta));
                float[] b = toFloat(o.b(tb));
                float[] serial = toFloat(o.start);
                float[] split = toFloat(o.start);
                Gemm.multiplyInJava(ta, tb, m, n, k, 0.5f, a, o.lda(ta), b, o.ldb(tb), 1.0f, serial, n, 1);
                Gemm.multiplyInJava(ta, tb, m, n, k, 0.5f, a, o.lda(ta), b, o.ldb(tb), 1.0f, split, n, 2);
                assertThat(java.util.Arrays.mismatch(split, serial)).as("shape %s, transposes %s/%s",
                        java.util.Arrays.toString(shape), ta, tb).isEqualTo(-1);
            }
        }
    }

    /**
     * OpenBLAS's {@code sgemm} (unlike its {@code dgemm}) rounds some elements differently when the same
     * product is cut into blocks, at any block alignment tried (16 to 64): so a float32 product split across
     * threads is checked to be repeatable — the blocks are fixed by the thread count, not by who computes
     * them — and within float rounding of the serial call.
     */
    @Test
    void aNativeFloatProductSplitAcrossThreadsIsRepeatableAndWithinFloatRoundingOfTheSerialOne() {
        assumeTrue(Gemm.usesNativeBlas(), "no native BLAS here");
        SplittableRandom random = new SplittableRandom(8);
        for (int[] shape : SPLIT_SHAPES) {
            int m = shape[0], n = shape[1], k = shape[2];
            Operands o = Operands.random(random, m, n, k);
            float[] a = toFloat(o.a);
            float[] b = toFloat(o.b);
            float[] serial = toFloat(o.start);
            Gemm.multiplyNatively(false, false, m, n, k, 0.5f, a, k, b, n, 1.0f, serial, n, 1);
            float[] split = null;
            for (int repeat = 0; repeat < 3; repeat++) {
                float[] again = toFloat(o.start);
                Gemm.multiplyNatively(false, false, m, n, k, 0.5f, a, k, b, n, 1.0f, again, n, 2);
                if (split != null) {
                    assertThat(java.util.Arrays.mismatch(again, split)).as("shape %s, repeat %d", java.util.Arrays.toString(shape),
                            repeat).isEqualTo(-1);
                }
                split = again;
            }
            for (int i = 0; i < split.length; i++) {
                assertThat(split[i]).as("shape %s, element %d", java.util.Arrays.toString(shape), i)
                        .isCloseTo(serial[i], within((float) (k * FLOAT32_ROUNDING)));
            }
        }
    }

    /**
     * Priming OpenBLAS's work buffers (see {@link Gemm}'s class comment) runs on the pool's threads and leaves
     * every product as it was: the same float32 product, split and serial, bit for bit before and after.
     */
    @Test
    void primingTheNativeBuffersRunsOnThePoolsThreadsAndChangesNoProduct() {
        assumeTrue(Gemm.usesNativeBlas(), "no native BLAS here");
        SplittableRandom random = new SplittableRandom(11);
        int m = 1000, n = 256, k = 784;
        Operands o = Operands.random(random, m, n, k);
        float[] a = toFloat(o.a);
        float[] b = toFloat(o.b);
        float[][] before = new float[2][];
        float[][] after = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
            before[threads - 1] = toFloat(o.start);
            Gemm.multiplyNatively(false, false, m, n, k, 1.0f, a, k, b, n, 1.0f, before[threads - 1], n, threads);
        }
        int overlapping = Gemm.primeNativeBuffers();
        for (int threads = 1; threads <= 2; threads++) {
            after[threads - 1] = toFloat(o.start);
            Gemm.multiplyNatively(false, false, m, n, k, 1.0f, a, k, b, n, 1.0f, after[threads - 1], n, threads);
            assertThat(java.util.Arrays.mismatch(after[threads - 1], before[threads - 1])).as("%d threads", threads).isEqualTo(-1);
        }
        // the pool's threads call until their calls have overlapped, so that they held different buffers
        assertThat(overlapping).isPositive();
    }

    @Test
    void largeProductsGoToTheNativeBlasWhereTheMachineHasOne() {
        assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libblas.so.3")), "no system libblas.so.3 here");
        assertThat(Gemm.usesNativeBlas()).isTrue();
        assertThat(Gemm.describe()).startsWith("native JNIBLAS");
    }

    @Test
    void theVectorApiBlasIsInUseBecauseTheTestJvmGetsTheEngineFlags() {
        // surefire takes its argLine from the same pom property as spring-boot:run and the Dockerfile
        assertThat(Gemm.implementationName()).isEqualTo("VectorBLAS");
    }

    /**
     * Random {@code A (m×k)}, {@code B (k×n)}, their transposes, a random starting {@code C} and the
     * triple loop's {@code A·B}.
     */
    private record Operands(int m, int n, int k, double[] a, double[] b, double[] aT, double[] bT, double[] start,
                            double[] expected) {

        static Operands random(SplittableRandom random, int m, int n, int k) {
            double[] a = random.doubles(m * k, -1, 1).toArray();
            double[] b = random.doubles(k * n, -1, 1).toArray();
            double[] start = random.doubles(m * n, -1, 1).toArray();
            double[] expected = new double[m * n];
            NaiveProduct.multiply(m, n, k, a, b, expected);
            return new Operands(m, n, k, a, b, transpose(a, m, k), transpose(b, k, n), start, expected);
        }

        /** op(A)'s storage and row length when {@code transposed} is asked for. */
        double[] a(boolean transposed) {
            return transposed ? aT : a;
        }

        int lda(boolean transposed) {
            return transposed ? m : k;
        }

        double[] b(boolean transposed) {
            return transposed ? bT : b;
        }

        int ldb(boolean transposed) {
            return transposed ? k : n;
        }
    }

    private static float[] toFloat(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    private static double[] transpose(double[] matrix, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = matrix[r * cols + c];
            }
        }
        return t;
    }
}
