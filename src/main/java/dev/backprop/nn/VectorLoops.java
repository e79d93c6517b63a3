package dev.backprop.nn;

/**
 * Small products with one row or one column of {@code C} ({@link Gemm#isSmall}), as plain loops: C2 compiles (and
 * vectorizes) them within the first few thousand calls, where VectorBLAS's {@code gemv} runs on the vector API's
 * uncompiled fallback for its first thousands, and every element is summed in one fixed order, whatever the arrays'
 * place in memory, so a training run stays bit-reproducible.
 *
 * <p>The same contract as {@link Gemm#multiply}: {@code C ← alpha · op(A) · op(B) + beta · C}, row-major, with
 * {@code m == 1} or {@code n == 1}; {@code beta == 0} ignores what {@code C} held (as BLAS does, NaN included).
 * Each element of {@code C} is {@code Σₚ op(A)ᵢₚ · op(B)ₚⱼ} summed over {@code p} in increasing order.
 */
final class VectorLoops {

    private VectorLoops() {
    }

    static void multiply(boolean transposeA, boolean transposeB, int m, int n, int k, double alpha,
                         double[] a, int aOffset, int lda, double[] b, int ldb, double beta, double[] c, int ldc) {
        if (m == 1) {
            // c (n) = x (k) · op(B): x is the one row of op(A), at stride lda when A is transposed
            int incX = transposeA ? lda : 1;
            double[] sums = new double[n];
            if (!transposeB) {
                // row p of B is contiguous: accumulate x_p · B[p, ·] into every column (the loop C2 vectorizes)
                for (int p = 0; p < k; p++) {
                    double x = a[aOffset + p * incX];
                    int row = p * ldb;
                    for (int j = 0; j < n; j++) {
                        sums[j] += x * b[row + j];
                    }
                }
            } else {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    int column = j * ldb;
                    for (int p = 0; p < k; p++) {
                        sum += a[aOffset + p * incX] * b[column + p];
                    }
                    sums[j] = sum;
                }
            }
            for (int j = 0; j < n; j++) {
                c[j] = beta == 0 ? alpha * sums[j] : alpha * sums[j] + beta * c[j];
            }
            return;
        }
        // n == 1: c (m, stride ldc) = op(A) · y, y the one column of op(B), at stride ldb unless B is transposed
        int incY = transposeB ? 1 : ldb;
        for (int i = 0; i < m; i++) {
            double sum = 0;
            if (transposeA) {
                for (int p = 0; p < k; p++) {
                    sum += a[aOffset + p * lda + i] * b[p * incY];
                }
            } else {
                int row = aOffset + i * lda;
                for (int p = 0; p < k; p++) {
                    sum += a[row + p] * b[p * incY];
                }
            }
            c[i * ldc] = beta == 0 ? alpha * sum : alpha * sum + beta * c[i * ldc];
        }
    }

    /** The float32 {@link #multiply(boolean, boolean, int, int, int, double, double[], int, int, double[], int, double, double[], int)}, summed in float32 as {@code sgemv} does. */
    static void multiply(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha,
                         float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc) {
        if (m == 1) {
            int incX = transposeA ? lda : 1;
            float[] sums = new float[n];
            if (!transposeB) {
                for (int p = 0; p < k; p++) {
                    float x = a[p * incX];
                    int row = p * ldb;
                    for (int j = 0; j < n; j++) {
                        sums[j] += x * b[row + j];
                    }
                }
            } else {
                for (int j = 0; j < n; j++) {
                    float sum = 0;
                    int column = j * ldb;
                    for (int p = 0; p < k; p++) {
                        sum += a[p * incX] * b[column + p];
                    }
                    sums[j] = sum;
                }
            }
            for (int j = 0; j < n; j++) {
                c[j] = beta == 0 ? alpha * sums[j] : alpha * sums[j] + beta * c[j];
            }
            return;
        }
        int incY = transposeB ? 1 : ldb;
        for (int i = 0; i < m; i++) {
            float sum = 0;
            if (transposeA) {
                for (int p = 0; p < k; p++) {
                    sum += a[p * lda + i] * b[p * incY];
                }
            } else {
                int row = i * lda;
                for (int p = 0; p < k; p++) {
                    sum += a[row + p] * b[p * incY];
                }
            }
            c[i * ldc] = beta == 0 ? alpha * sum : alpha * sum + beta * c[i * ldc];
        }
    }
}
