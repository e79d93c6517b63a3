package dev.backprop.nn;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The three products of the T4 network's first layer at batch 128 (forward {@code X·W}, weight
 * gradient {@code Xᵀ·dZ}, and the {@code dZ·Wᵀ} a deeper layer would need), on the Java BLAS (serial and
 * split across threads) and on the native BLAS. GFLOP/s = {@code 2·128·784·256 × score / 1e9}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LayerGemmBenchmark {

    private static final int ROWS = 128;
    private static final int INPUTS = 784;
    private static final int UNITS = 256;

    /** {@code native}: the system BLAS (what {@link Gemm#multiply} uses here); {@code java-N}: VectorBLAS on N threads. */
    @Param({"native", "java-1", "java-2"})
    public String blas;

    private double[] x;
    private double[] w;
    private double[] z;
    private double[] dw;
    private double[] dx;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        x = random.doubles(ROWS * INPUTS).toArray();
        w = random.doubles(INPUTS * UNITS).toArray();
        z = random.doubles(ROWS * UNITS).toArray();
        dw = new double[INPUTS * UNITS];
        dx = new double[ROWS * INPUTS];
    }

    private void multiply(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int lda, double[] b, int ldb,
                          double beta, double[] c, int ldc) {
        if (blas.equals("native")) {
            Gemm.multiply(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } else {
            Gemm.multiplyInJava(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, Integer.parseInt(blas.substring(5)));
        }
    }

    @Benchmark
    public double[] forward() {
        multiply(false, false, ROWS, UNITS, INPUTS, 1, x, INPUTS, w, UNITS, 0, z, UNITS);
        return z;
    }

    @Benchmark
    public double[] weightGradient() {
        multiply(true, false, INPUTS, UNITS, ROWS, 1, x, INPUTS, z, UNITS, 0, dw, UNITS);
        return dw;
    }

    @Benchmark
    public double[] inputGradient() {
        multiply(false, true, ROWS, INPUTS, UNITS, 1, z, UNITS, w, UNITS, 0, dx, INPUTS);
        return dx;
    }
}
