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
 * gradient {@code Xᵀ·dZ}, and the {@code dZ·Wᵀ} a deeper layer would need), serial and split across
 * threads. GFLOP/s = {@code 2·128·784·256 × score / 1e9}.
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

    @Param({"1", "2"})
    public int threads;

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

    @Benchmark
    public double[] forward() {
        Gemm.multiply(false, false, ROWS, UNITS, INPUTS, 1, x, INPUTS, w, UNITS, 0, z, UNITS, threads);
        return z;
    }

    @Benchmark
    public double[] weightGradient() {
        Gemm.multiply(true, false, INPUTS, UNITS, ROWS, 1, x, INPUTS, z, UNITS, 0, dw, UNITS, threads);
        return dw;
    }

    @Benchmark
    public double[] inputGradient() {
        Gemm.multiply(false, true, ROWS, INPUTS, UNITS, 1, z, UNITS, w, UNITS, 0, dx, INPUTS, threads);
        return dx;
    }
}
