package dev.backprop.nn;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;

/**
 * Row-major general matrix products, delegated to the BLAS picked by {@code dev.ludovic.netlib}.
 *
 * <p>BLAS is column-major; a row-major {@code m × n} matrix with leading dimension {@code ld} is the
 * column-major view of its transpose. So {@code C = op(A)·op(B)} in row-major order is computed as
 * {@code Cᵀ = op(B)ᵀ·op(A)ᵀ} in column-major order, which means swapping the operands and the sizes
 * {@code m} and {@code n} — no copy, no transposition in memory.
 *
 * <p>The implementation is chosen once per JVM among netlib's pure-Java ones: the vector-API
 * {@code VectorBLAS} when the JVM runs with {@code --add-modules jdk.incubator.vector}, the scalar
 * {@code Java11BLAS} otherwise. Never the native {@code JNIBLAS} that {@code BLAS.getInstance()}
 * prefers whenever a system {@code libblas.so.3} is installed: what it links to depends on the
 * machine's packages (results would change with them), OpenBLAS starts its own threads on top of
 * the training workers, and a JNI call costs more than the small products of small networks.
 */
public final class Gemm {

    private static final BLAS BLAS_INSTANCE = JavaBLAS.getInstance();

    private Gemm() {
    }

    /** The simple class name of the BLAS implementation in use, for the startup log and benchmarks. */
    public static String implementationName() {
        return BLAS_INSTANCE.getClass().getSimpleName();
    }

    /**
     * {@code C ← alpha · op(A) · op(B) + beta · C}, all row-major.
     *
     * @param transposeA use {@code Aᵀ} instead of {@code A}
     * @param transposeB use {@code Bᵀ} instead of {@code B}
     * @param m rows of {@code op(A)} and of {@code C}
     * @param n columns of {@code op(B)} and of {@code C}
     * @param k columns of {@code op(A)}, rows of {@code op(B)}
     * @param a the storage of {@code A}, whose row length is {@code lda}
     * @param b the storage of {@code B}, whose row length is {@code ldb}
     * @param c the storage of {@code C}, whose row length is {@code ldc}; overwritten
     */
    public static void multiply(boolean transposeA, boolean transposeB, int m, int n, int k, double alpha,
                                double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        BLAS_INSTANCE.dgemm(transposeB ? "T" : "N", transposeA ? "T" : "N", n, m, k, alpha,
                b, ldb, a, lda, beta, c, ldc);
    }

    /**
     * The textbook triple loop for {@code C = A · B} (row-major, {@code A: m × k}, {@code B: k × n}),
     * kept only as the baseline the GEMM benchmark compares BLAS against.
     */
    public static void multiplyNaive(int m, int n, int k, double[] a, double[] b, double[] c) {
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
