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
 * {@code C = A·B} for square {@code n × n} matrices through {@link Gemm} (BLAS) and through the naive
 * triple loop ({@link NaiveProduct}). GFLOP/s = {@code 2n³ × score / 1e9}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GemmBenchmark {

    @Param({"512"})
    public int n;

    private double[] a;
    private double[] b;
    private double[] c;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        a = random.doubles((long) n * n).toArray();
        b = random.doubles((long) n * n).toArray();
        c = new double[n * n];
    }

    @Benchmark
    public double[] blas() {
        Gemm.multiply(false, false, n, n, n, 1, a, n, b, n, 0, c, n);
        return c;
    }

    @Benchmark
    public double[] naive() {
        NaiveProduct.multiply(n, n, n, a, b, c);
        return c;
    }
}
