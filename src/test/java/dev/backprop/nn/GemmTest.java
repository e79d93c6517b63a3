package dev.backprop.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GemmTest {

    @Test
    void rowMajorProductsWithEveryTranspositionMatchTheTripleLoop() {
        SplittableRandom random = new SplittableRandom(1);
        int m = 7, n = 5, k = 3;
        double[] a = random.doubles(m * k).toArray();
        double[] b = random.doubles(k * n).toArray();
        double[] expected = new double[m * n];
        Gemm.multiplyNaive(m, n, k, a, b, expected);

        double[] c = new double[m * n];
        Gemm.multiply(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
        assertThat(c).containsExactly(expected, within(1e-12));

        double[] aT = transpose(a, m, k);
        double[] bT = transpose(b, k, n);
        Gemm.multiply(true, true, m, n, k, 1, aT, m, bT, k, 0, c, n);
        assertThat(c).containsExactly(expected, within(1e-12));
        Gemm.multiply(true, false, m, n, k, 1, aT, m, b, n, 0, c, n);
        assertThat(c).containsExactly(expected, within(1e-12));
        Gemm.multiply(false, true, m, n, k, 1, a, k, bT, k, 0, c, n);
        assertThat(c).containsExactly(expected, within(1e-12));
    }

    @Test
    void aProductSplitAcrossThreadsIsBitIdenticalToTheSerialOne() {
        assertThat(Gemm.threads()).as("the test JVM sees more than one core").isGreaterThan(1);
        SplittableRandom random = new SplittableRandom(2);
        // rows split (m >= n) and columns split (m < n), sizes that are not multiples of the block alignment
        int[][] shapes = {{203, 97, 301}, {45, 517, 263}, {128, 256, 784}, {784, 256, 128}, {32, 784, 256}, {19, 300, 400}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            assertThat(2L * m * n * k).isGreaterThanOrEqualTo(Gemm.PARALLEL_MIN_FLOPS);
            double[] a = random.doubles(m * k, -1, 1).toArray();
            double[] b = random.doubles(k * n, -1, 1).toArray();
            double[] aT = transpose(a, m, k);
            double[] bT = transpose(b, k, n);
            double[] start = random.doubles(m * n, -1, 1).toArray();
            double[] expected = new double[m * n];
            Gemm.multiplyNaive(m, n, k, a, b, expected);
            for (int variant = 0; variant < 4; variant++) {
                boolean ta = (variant & 1) != 0, tb = (variant & 2) != 0;
                double[] serial = start.clone();
                double[] split = start.clone();
                Gemm.multiply(ta, tb, m, n, k, 0.5, ta ? aT : a, ta ? m : k, tb ? bT : b, tb ? k : n, 1.0, serial, n, 1);
                Gemm.multiply(ta, tb, m, n, k, 0.5, ta ? aT : a, ta ? m : k, tb ? bT : b, tb ? k : n, 1.0, split, n, 2);
                assertThat(split).as("shape %s, transposes %s/%s", java.util.Arrays.toString(shape), ta, tb)
                        .containsExactly(serial);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(split[i]).isCloseTo(start[i] + 0.5 * expected[i], within(1e-9));
                }
            }
        }
    }

    @Test
    void theVectorApiBlasIsInUseBecauseTheTestJvmGetsTheEngineFlags() {
        // surefire takes its argLine from the same pom property as spring-boot:run and the Dockerfile
        assertThat(Gemm.implementationName()).isEqualTo("VectorBLAS");
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
