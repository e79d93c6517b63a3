package dev.backprop.nn;

/**
 * The textbook triple loop for {@code C = A · B} (row-major, {@code A: m × k}, {@code B: k × n},
 * {@code C: m × n}): the oracle {@code GemmTest} checks the BLAS products against, and the baseline
 * {@code GemmBenchmark} measures them against. It lives with the tests because nothing in the engine
 * should compute a product this slowly.
 */
final class NaiveProduct {

    private NaiveProduct() {
    }

    /** Overwrites {@code c} with {@code A · B}, each element summed over {@code k} in index order. */
    static void multiply(int m, int n, int k, double[] a, double[] b, double[] c) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = sum;
            }
        }
    }
}
