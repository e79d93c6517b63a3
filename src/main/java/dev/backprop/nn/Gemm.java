package dev.backprop.nn;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Row-major general matrix products through {@code dev.ludovic.netlib}'s BLAS: the machine's native
 * BLAS for the products of real networks, the vector-API Java BLAS for the tiny ones.
 *
 * <p>BLAS is column-major; a row-major {@code m × n} matrix with leading dimension {@code ld} is the
 * column-major view of its transpose. So {@code C = op(A)·op(B)} in row-major order is computed as
 * {@code Cᵀ = op(B)ᵀ·op(A)ᵀ} in column-major order, which means swapping the operands and the sizes
 * {@code m} and {@code n} — no copy, no transposition in memory.
 *
 * <p>Every product comes in float64 ({@code dgemm}) and float32 ({@code sgemm}, for
 * {@link Precision#FLOAT32} networks), with the same choice of BLAS and the same split.
 *
 * <h2>Which BLAS</h2>
 * A product of at least {@link #NATIVE_MIN_FLOPS} floating-point operations (2·m·n·k) goes to netlib's
 * {@code JNIBLAS}, that is the system's {@code libblas.so.3} — OpenBLAS on Debian with
 * {@code libopenblas0}, which the Docker image installs. On this project's T4 products OpenBLAS is 3–4×
 * faster than the best Java BLAS (BENCHMARKS.md). Smaller products, like every product of the
 * tutorial's networks (T1–T3), stay in the JVM with {@code VectorBLAS}, because a JNI call costs more
 * than they do. Products with one row or one column (single-row predictions) are matrix-vector products:
 * {@code gemv} on the same BLAS when large, plain loops ({@link VectorLoops}) when small ({@link #isSmall}).
 *
 * <p>OpenBLAS is meant to run with {@code OPENBLAS_NUM_THREADS=1} (set by the pom for
 * {@code spring-boot:run} and the tests, by the Dockerfile and by the benchmark harness): with its own
 * threads, concurrent callers — two training jobs, or a server full of predictions — queue for its
 * single thread pool and its idle threads spin. Parallelism is Backprop's, as below.
 *
 * <p>Without a native BLAS (or with {@code -Dbackprop.gemm.native=false}) every product runs on the
 * Java BLAS. Which BLAS computed a product changes its last bits, so a training run is bit-reproducible
 * for a given seed on a given machine and configuration, not across machines with different BLAS
 * libraries.
 *
 * <h2>Parallel products</h2>
 * A product of at least {@link #PARALLEL_MIN_FLOPS} is cut into {@link ParallelBlocks#threads()} blocks of
 * {@code C} — blocks of rows when {@code m ≥ n}, of columns otherwise — and every block is one BLAS
 * call on a view of the operands. A block of {@code C} depends only on its own rows of {@code op(A)}
 * (or columns of {@code op(B)}), so there is nothing to reduce: every element is summed over {@code k}
 * by the same kernel in the same order as in one call, and the result is bit-identical to the serial
 * product whatever the number of threads (block boundaries are multiples of the kernels' register
 * blocks, {@link #BLOCK_ALIGNMENT} and {@link #NATIVE_BLOCK_ALIGNMENT}, so no element moves from a
 * kernel's full tiles to its edge loops). {@code GemmTest} checks that identity on both BLAS. The
 * exception is OpenBLAS's float32 {@code sgemm}, which rounds some elements of a block differently
 * from the same elements of the whole product at every alignment tried: float32 products are
 * bit-identical across thread counts on the Java BLAS, and on the native BLAS repeatable for a given
 * thread count (blocks depend only on the shape and the thread count, never on who computes them).
 *
 * <p>The blocks run on {@link ParallelBlocks}, whose calling thread takes back the blocks its workers
 * have not started, so a product never waits for a busy pool.
 *
 * <h2>OpenBLAS's work buffers, primed once</h2>
 * OpenBLAS packs the operands of a {@code gemm} call into a work buffer taken from a process-wide table
 * (the first free one, so two concurrent callers use two buffers), mapped once and never written beyond
 * what the calls so far have packed. On this project's machine (AMD EPYC, OpenBLAS 0.3.21's Zen
 * kernels) an {@code sgemm} whose packed {@code A} ends short of the buffer's {@code A} area runs about
 * 3× slower — the T6 batch of 1,000 rows took 40 instead of 16 ms of CPU — until some call has packed
 * a full {@code A} area in that buffer, and its own calls never do: the 1,000-row products of the T4
 * network pack 256 × 384 floats where the area holds P × Q (768 × 384 on Zen). A {@code dgemm} of the
 * same shape packs twice the bytes and so had primed the buffer whenever float64 products ran first
 * (numpy and PyTorch show the same: a float32 {@code a @ b} is 3× faster after one float64 product).
 * The likely cause, inferred and not proven: the kernel's prefetches run past the packed data into
 * pages never touched, each one a failed page walk. So the first native float32 product in the JVM
 * primes one buffer per {@link ParallelBlocks} thread with an {@code sgemm} that fills the whole area
 * ({@link #primeNativeBuffers}); it changes no result, since a call reads only what it has packed.
 */
public final class Gemm {

    private static final BLAS JAVA_BLAS = JavaBLAS.getInstance();

    /** System property: {@code false} keeps every product in the JVM even when a native BLAS is installed. */
    public static final String NATIVE_PROPERTY = "backprop.gemm.native";

    /** Products from this size (2·m·n·k, about a 32×32×64 product) go to the native BLAS when there is one. */
    static final long NATIVE_MIN_FLOPS = 1L << 16;

    private static final BLAS NATIVE_BLAS = loadNativeBlas();

    /**
     * Products smaller than this (about 60 µs on one core of the Java BLAS) run on the calling thread:
     * the hand-over to a worker of {@link ParallelBlocks} costs a few microseconds.
     */
    static final long PARALLEL_MIN_FLOPS = 1L << 21;

    /**
     * Block boundaries are multiples of this. netlib's kernels walk {@code C} in 3×3 tiles and finish
     * the edges with narrower loops, so a boundary that is a multiple of 3 keeps every element in the
     * same kind of tile as in one call (checked bit for bit by {@code GemmTest}).
     */
    static final int BLOCK_ALIGNMENT = 3;

    /** The same for OpenBLAS, whose kernels work in register blocks of up to 16 (AVX-512) by 8 (AVX2) elements. */
    static final int NATIVE_BLOCK_ALIGNMENT = 16;

    /** Whether the first native product has primed OpenBLAS's work buffers (see the class comment). */
    private static final AtomicBoolean NATIVE_BUFFERS_PRIMED = new AtomicBoolean();

    /**
     * The priming {@code sgemm}'s rows and depth (column-major {@code M} and {@code K}): at least twice every
     * OpenBLAS kernel's {@code P} and {@code Q} for x86 (at most 768 and 384), so that the driver packs
     * whole {@code P × Q} blocks of {@code A}. Its width ({@link #PRIME_COLUMNS}) keeps it to ~75 Mflop.
     */
    static final int PRIME_ROWS = 1536;

    /** The priming product's depth, see {@link #PRIME_ROWS}. */
    static final int PRIME_DEPTH = 768;

    /** The priming product's width: narrow, since the packed {@code B} of real products primes itself. */
    static final int PRIME_COLUMNS = 32;

    /**
     * How long each priming thread waits for the others to arrive, so that their calls overlap and take
     * different buffers; a pool busy with other work only makes the priming cover fewer buffers.
     */
    private static final long PRIME_WAIT_MILLIS = 50;

    /** How many priming calls must have run inside every other thread's priming call before the threads stop. */
    private static final int PRIME_OVERLAPS = 2;

    /** How many priming calls each thread makes at most (~2 ms each), when the others never come to overlap it. */
    private static final int PRIME_MAX_CALLS = 20;

    private Gemm() {
    }

    private static BLAS loadNativeBlas() {
        if (!Boolean.parseBoolean(System.getProperty(NATIVE_PROPERTY, "true"))) {
            return null;
        }
        try {
            return NativeBLAS.getInstance();
        } catch (RuntimeException | LinkageError noNativeBlas) {
            return null;
        }
    }

    /** The simple class name of the Java BLAS (small products), for the startup log and tests. */
    public static String implementationName() {
        return JAVA_BLAS.getClass().getSimpleName();
    }

    /** Whether large products go to the system's native BLAS. */
    public static boolean usesNativeBlas() {
        return NATIVE_BLAS != null;
    }

    /** One line for the startup log and the benchmark table. */
    public static String describe() {
        int threads = ParallelBlocks.threads();
        String split = threads > 1 ? "; products from " + PARALLEL_MIN_FLOPS + " flops split across " + threads + " threads" : "";
        if (NATIVE_BLAS == null) {
            return implementationName() + ", no native BLAS" + split;
        }
        StringBuilder environment = new StringBuilder();
        for (String variable : new String[]{"OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE"}) {
            String value = System.getenv(variable);
            if (value != null) {
                environment.append(", ").append(variable).append('=').append(value);
            }
        }
        return "native " + NATIVE_BLAS.getClass().getSimpleName() + " (system libblas.so.3" + environment + ") from "
                + NATIVE_MIN_FLOPS + " flops per product, " + implementationName() + " below" + split;
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
        multiply(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ParallelBlocks.threads());
    }

    /** {@link #multiply} split across at most {@code maxThreads} threads (1: one call on the calling thread). */
    static void multiply(boolean transposeA, boolean transposeB, int m, int n, int k, double alpha,
                         double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc, int maxThreads) {
        multiply(transposeA, transposeB, m, n, k, alpha, a, 0, lda, b, ldb, beta, c, ldc, maxThreads);
    }

    /**
     * {@link #multiply} with {@code A} starting at {@code aOffset} of its array: a block of rows of a batch read where
     * it lies instead of copied to the front of a buffer (the same BLAS calls on the same numbers, so the same bits).
     */
    static void multiply(boolean transposeA, boolean transposeB, int m, int n, int k, double alpha,
                         double[] a, int aOffset, int lda, double[] b, int ldb, double beta, double[] c, int ldc, int maxThreads) {
        if (m == 1 || n == 1) {
            if (isSmall(m, n, k)) {
                VectorLoops.multiply(transposeA, transposeB, m, n, k, alpha, a, aOffset, lda, b, ldb, beta, c, ldc);
            } else {
                multiplyVector(blasFor(m, n, k), transposeA, transposeB, m, n, k, alpha, a, aOffset, lda, b, ldb, beta, c, ldc);
            }
            return;
        }
        BLAS blas = blasFor(m, n, k);
        run(new Product(blas, transposeA, transposeB, m, n, k, lda, ldb, ldc, (opB, opA, rows, columns, bOffset, blockAOffset, cOffset)
                -> blas.dgemm(opB, opA, rows, columns, k, alpha, b, bOffset, ldb, a, aOffset + blockAOffset, lda, beta, c, cOffset,
                ldc)), maxThreads);
    }

    /**
     * A product with one row or one column of {@code C} as a matrix-vector product ({@code dgemv}):
     * single-row predictions are all this shape, and {@code dgemv} is about 4× faster than
     * {@code dgemm} on it, native or not (a probe of 20,000 calls: 30–33 against 125 µs for
     * 1×784 · 784×256). Large ones go to the native BLAS too, which does not depend on the JIT; small ones
     * run on {@link VectorLoops} ({@link #isSmall}).
     */
    private static void multiplyVector(BLAS blas, boolean transposeA, boolean transposeB, int m, int n, int k, double alpha,
                                       double[] a, int aOffset, int lda, double[] b, int ldb, double beta, double[] c, int ldc) {
        VectorProduct v = VectorProduct.of(transposeA, transposeB, m, n, k, lda, ldb, ldc);
        if (v.matrixIsA) {
            blas.dgemv(v.transpose, v.rows, v.columns, alpha, a, aOffset, v.leadingDimension, b, 0, v.incX, beta, c, 0, v.incY);
        } else {
            blas.dgemv(v.transpose, v.rows, v.columns, alpha, b, 0, v.leadingDimension, a, aOffset, v.incX, beta, c, 0, v.incY);
        }
    }

    /**
     * The {@code gemv} call computing a product with one row or one column of {@code C}: which operand
     * is the matrix, its column-major shape and transposition, and the strides of the vectors.
     */
    private record VectorProduct(String transpose, int rows, int columns, boolean matrixIsA, int leadingDimension,
                                 int incX, int incY) {

        static VectorProduct of(boolean transposeA, boolean transposeB, int m, int n, int k, int lda, int ldb, int ldc) {
            if (m == 1) {
                // c (n) = op(B)ᵀ-as-stored · the one row of op(A)
                int incX = transposeA ? lda : 1;
                return transposeB ? new VectorProduct("T", k, n, false, ldb, incX, 1)
                        : new VectorProduct("N", n, k, false, ldb, incX, 1);
            }
            // c (m, stride ldc) = op(A) · the one column of op(B)
            int incX = transposeB ? 1 : ldb;
            return transposeA ? new VectorProduct("N", m, k, true, lda, incX, ldc)
                    : new VectorProduct("T", k, m, true, lda, incX, ldc);
        }
    }

    /** {@link #multiply} on the Java BLAS, split across at most {@code maxThreads} threads when large. */
    static void multiplyInJava(boolean transposeA, boolean transposeB, int m, int n, int k, double alpha,
                               double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc, int maxThreads) {
        split(JAVA_BLAS, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, maxThreads);
    }

    /** {@link #multiply} on the native BLAS (which must be there), split across at most {@code maxThreads} threads. */
    static void multiplyNatively(boolean transposeA, boolean transposeB, int m, int n, int k, double alpha,
                                 double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc, int maxThreads) {
        split(NATIVE_BLAS, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, maxThreads);
    }

    private static void split(BLAS blas, boolean transposeA, boolean transposeB, int m, int n, int k, double alpha,
                              double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc, int maxThreads) {
        run(new Product(blas, transposeA, transposeB, m, n, k, lda, ldb, ldc, (opB, opA, rows, columns, bOffset, aOffset, cOffset)
                -> blas.dgemm(opB, opA, rows, columns, k, alpha, b, bOffset, ldb, a, aOffset, lda, beta, c, cOffset, ldc)), maxThreads);
    }

    /**
     * The float32 {@link #multiply}: the same BLAS choice, single-row shortcut and split, on
     * {@code sgemm}/{@code sgemv}, which move half the bytes and fit twice the elements in a vector
     * register.
     */
    public static void multiply(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha,
                                float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc) {
        multiply(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ParallelBlocks.threads());
    }

    /** The float32 {@link #multiply(boolean, boolean, int, int, int, double, double[], int, double[], int, double, double[], int, int)}. */
    static void multiply(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha,
                         float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc, int maxThreads) {
        multiply(transposeA, transposeB, m, n, k, alpha, a, 0, lda, b, ldb, beta, c, ldc, maxThreads);
    }

    /**
     * The float32 {@link #multiply} with {@code A} starting at {@code aOffset} of its array: a float32 batch's rows read
     * where they lie, as the float64 one does (the same BLAS calls on the same numbers, so the same bits). A product with
     * one row or one column, small and rare at an offset, takes its {@code A} to the front of a copy first.
     */
    static void multiply(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha,
                         float[] a, int aOffset, int lda, float[] b, int ldb, float beta, float[] c, int ldc, int maxThreads) {
        if (m == 1 || n == 1) {
            float[] front = aOffset == 0 ? a : Arrays.copyOfRange(a, aOffset, aOffset + (transposeA ? k * lda : m * lda));
            // gemv packs nothing into OpenBLAS's work buffers, so it needs no priming
            if (isSmall(m, n, k)) {
                VectorLoops.multiply(transposeA, transposeB, m, n, k, alpha, front, lda, b, ldb, beta, c, ldc);
            } else {
                multiplyVector(blasFor(m, n, k), transposeA, transposeB, m, n, k, alpha, front, lda, b, ldb, beta, c, ldc);
            }
            return;
        }
        BLAS blas = floatBlasFor(m, n, k);
        run(new Product(blas, transposeA, transposeB, m, n, k, lda, ldb, ldc, (opB, opA, rows, columns, bOffset, blockAOffset, cOffset)
                -> blas.sgemm(opB, opA, rows, columns, k, alpha, b, bOffset, ldb, a, aOffset + blockAOffset, lda, beta, c, cOffset,
                ldc)), maxThreads);
    }

    /**
     * Where {@link #multiply} would cut the product {@code C (m × n) = A (m × k) · B (k × n)} (neither operand
     * transposed) into blocks of rows: the first row of each block and then {@code m}, or {@code null} when it
     * would not (one call, blocks of columns, or a block whose own call would take the other BLAS). Each block of
     * rows computed as its own {@code rows × n × k} product on one thread is then the very call the split makes,
     * so a caller that cuts a whole chain of products at these rows gets the same numbers, float32 included.
     * For float32 it primes the native buffers first, as the product itself would (on the calling thread, before
     * any block runs on the pool).
     */
    static int[] rowBlockStarts(int m, int n, int k, Precision precision) {
        BLAS blas = precision == Precision.FLOAT32 ? floatBlasFor(m, n, k) : blasFor(m, n, k);
        if (m == 1 || n == 1) {
            return null;
        }
        Product product = new Product(blas, false, false, m, n, k, k, n, n, null);
        int blocks = product.blockCount(ParallelBlocks.threads());
        if (blocks == 1 || !product.splitRows) {
            return null;
        }
        int[] starts = new int[blocks + 1];
        for (int i = 0; i <= blocks; i++) {
            starts[i] = product.blockStart(i, blocks);
            if (i > 0 && blasFor(starts[i] - starts[i - 1], n, k) != blas) {
                return null;
            }
        }
        return starts;
    }

    private static void multiplyVector(BLAS blas, boolean transposeA, boolean transposeB, int m, int n, int k, float alpha,
                                       float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc) {
        VectorProduct v = VectorProduct.of(transposeA, transposeB, m, n, k, lda, ldb, ldc);
        blas.sgemv(v.transpose, v.rows, v.columns, alpha, v.matrixIsA ? a : b, v.leadingDimension, v.matrixIsA ? b : a, v.incX,
                beta, c, v.incY);
    }

    /** The float32 {@link #multiplyInJava}. */
    static void multiplyInJava(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha,
                               float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc, int maxThreads) {
        split(JAVA_BLAS, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, maxThreads);
    }

    /** The float32 {@link #multiplyNatively}. */
    static void multiplyNatively(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha,
                                 float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc, int maxThreads) {
        split(NATIVE_BLAS, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, maxThreads);
    }

    private static void split(BLAS blas, boolean transposeA, boolean transposeB, int m, int n, int k, float alpha,
                              float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc, int maxThreads) {
        run(new Product(blas, transposeA, transposeB, m, n, k, lda, ldb, ldc, (opB, opA, rows, columns, bOffset, aOffset, cOffset)
                -> blas.sgemm(opB, opA, rows, columns, k, alpha, b, bOffset, ldb, a, aOffset, lda, beta, c, cOffset, ldc)), maxThreads);
    }

    /**
     * Whether a product is under {@link #NATIVE_MIN_FLOPS}. One with one row or one column of that size runs on
     * {@link VectorLoops}, not on VectorBLAS, whose {@code dgemv} runs on the vector API's uncompiled fallback
     * ({@code DoubleVector.tOpTemplate}) until C2 has compiled it: 13–26% of a young JVM's single-row predict samples.
     * Not on the native {@code gemv} either, although it is faster warm: its results depend on where the JVM placed
     * the arrays (two runs of one seed in one JVM gave different weights in the last bits, {@code TrainerTest}), and
     * same seed ⇒ same model is a promise. Fresh JVMs per variant, the T4 network's last layer 1×128 · 128×10
     * (bench/NOTES.md, eighth session): mean of the first 1,000 calls 370–650 µs on VectorBLAS, 4–5 native, 6.5 the
     * loop; warm 494, 345–381 and ~1,100 ns.
     */
    private static boolean isSmall(int m, int n, int k) {
        return 2L * m * n * k < NATIVE_MIN_FLOPS;
    }

    /** The simple class name of what computes a product of this shape (the BLAS, or {@link VectorLoops}), for tests. */
    static String implementationNameFor(int m, int n, int k) {
        if ((m == 1 || n == 1) && isSmall(m, n, k)) {
            return VectorLoops.class.getSimpleName();
        }
        return blasFor(m, n, k).getClass().getSimpleName();
    }

    /** The native BLAS for products of at least {@link #NATIVE_MIN_FLOPS} when there is one, else the Java BLAS. */
    private static BLAS blasFor(int m, int n, int k) {
        return NATIVE_BLAS != null && 2L * m * n * k >= NATIVE_MIN_FLOPS ? NATIVE_BLAS : JAVA_BLAS;
    }

    /**
     * {@link #blasFor} for a float32 product, priming OpenBLAS's work buffers before the first native one. Only
     * float32 products prime: float64 ones were never slowed, and a float64-only JVM keeps its buffers as before.
     */
    private static BLAS floatBlasFor(int m, int n, int k) {
        BLAS blas = blasFor(m, n, k);
        if (blas == NATIVE_BLAS && !NATIVE_BUFFERS_PRIMED.get() && NATIVE_BUFFERS_PRIMED.compareAndSet(false, true)) {
            primeNativeBuffers();
        }
        return blas;
    }

    /**
     * Primes one OpenBLAS work buffer per {@link ParallelBlocks} thread (see the class comment): every thread
     * of the pool runs {@code sgemm}s of {@link #PRIME_ROWS} × {@link #PRIME_COLUMNS} × {@link #PRIME_DEPTH},
     * after waiting briefly for the others, until {@link #PRIME_OVERLAPS} calls have run inside every other thread's
     * call (so the calls held different buffers), at most {@link #PRIME_MAX_CALLS} each. A few milliseconds, once per
     * JVM; called by the first native float32 product (never from a class initializer: the pool's threads run code of
     * this class).
     *
     * @return how many calls ran inside every other thread's call (0 if the pool was too busy to overlap them)
     */
    static int primeNativeBuffers() {
        if (NATIVE_BLAS == null) {
            return 0;
        }
        float[] a = new float[PRIME_ROWS * PRIME_DEPTH];
        float[] b = new float[PRIME_DEPTH * PRIME_COLUMNS];
        Arrays.fill(a, 1.0f);
        Arrays.fill(b, 1.0f);
        int threads = ParallelBlocks.threads();
        AtomicInteger inCall = new AtomicInteger();
        AtomicInteger overlapping = new AtomicInteger();
        // Starting together is not enough: on a busy machine one thread is often descheduled right after the start,
        // the other's call ends first, and both calls take the first buffer (seen at load 26-36: a 1,000-row float32
        // batch of the T4 network then took 28 instead of 16 ms of CPU, half of it on the unprimed buffer). So each
        // thread calls again until calls were seen inside every other thread's call from start to end.
        ParallelBlocks.onEveryThreadTogether(PRIME_WAIT_MILLIS, () -> {
            float[] c = new float[PRIME_ROWS * PRIME_COLUMNS];
            for (int call = 0; call < PRIME_MAX_CALLS && overlapping.get() < PRIME_OVERLAPS; call++) {
                boolean othersInCall = inCall.incrementAndGet() == threads;
                NATIVE_BLAS.sgemm("N", "N", PRIME_ROWS, PRIME_COLUMNS, PRIME_DEPTH, 1.0f, a, PRIME_ROWS, b, PRIME_DEPTH, 0.0f, c,
                        PRIME_ROWS);
                if (othersInCall && inCall.get() == threads) {
                    overlapping.incrementAndGet();
                }
                inCall.decrementAndGet();
            }
        });
        return overlapping.get();
    }

    private static void run(Product product, int maxThreads) {
        if (product.m == 0 || product.n == 0) {
            return;
        }
        int blocks = product.blockCount(Math.min(maxThreads, ParallelBlocks.threads()));
        if (blocks == 1) {
            product.computeBlock(0, product.splitLength());
            return;
        }
        product.runSplit(blocks);
    }

    /**
     * The column-major BLAS call {@code C' = op(B)'·op(A)'} of size {@code rows × columns} at the given
     * offsets into the operands, which it holds in one precision.
     */
    @FunctionalInterface
    private interface BlockCall {
        void call(String opB, String opA, int rows, int columns, int bOffset, int aOffset, int cOffset);
    }

    /**
     * One call's shape and the arithmetic of cutting it into blocks of {@code C}; {@code blockCall}
     * makes the BLAS call for a block.
     */
    private static final class Product {
        final BLAS blas;
        final boolean transposeA;
        final boolean transposeB;
        final int m;
        final int n;
        final int k;
        final int lda;
        final int ldb;
        final int ldc;
        final boolean splitRows;
        final BlockCall blockCall;

        Product(BLAS blas, boolean transposeA, boolean transposeB, int m, int n, int k, int lda, int ldb, int ldc,
                BlockCall blockCall) {
            this.blas = blas;
            this.transposeA = transposeA;
            this.transposeB = transposeB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.lda = lda;
            this.ldb = ldb;
            this.ldc = ldc;
            this.splitRows = m >= n;
            this.blockCall = blockCall;
        }

        int alignment() {
            return blas == JAVA_BLAS ? BLOCK_ALIGNMENT : NATIVE_BLOCK_ALIGNMENT;
        }

        int splitLength() {
            return splitRows ? m : n;
        }

        int blockCount(int maxThreads) {
            if (maxThreads <= 1 || 2L * m * n * k < PARALLEL_MIN_FLOPS) {
                return 1;
            }
            return Math.max(1, Math.min(maxThreads, splitLength() / alignment()));
        }

        /** The first index of block {@code i} of {@code blocks}: equal shares, rounded to the alignment. */
        int blockStart(int i, int blocks) {
            if (i == blocks) {
                return splitLength();
            }
            double share = (double) splitLength() * i / blocks;
            return (int) Math.round(share / alignment()) * alignment();
        }

        /** Rows (or columns) {@code [from, to)} of {@code C}, as one BLAS call on views of the operands. */
        void computeBlock(int from, int to) {
            int length = to - from;
            if (length <= 0) {
                return;
            }
            String opB = transposeB ? "T" : "N";
            String opA = transposeA ? "T" : "N";
            if (splitRows) {
                // rows of C need the same rows of op(A): row r of A, or column r of a transposed A
                int aOffset = transposeA ? from : from * lda;
                blockCall.call(opB, opA, n, length, 0, aOffset, from * ldc);
            } else {
                // columns of C need the same columns of op(B): column j of B, or row j of a transposed B
                int bOffset = transposeB ? from * ldb : from;
                blockCall.call(opB, opA, length, m, bOffset, 0, from);
            }
        }

        void runSplit(int blocks) {
            int[] starts = new int[blocks + 1];
            for (int i = 0; i <= blocks; i++) {
                starts[i] = blockStart(i, blocks);
            }
            ParallelBlocks.run((block, from, to) -> computeBlock(from, to), starts);
        }
    }
}
