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
