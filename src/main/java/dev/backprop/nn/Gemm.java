package dev.backprop.nn;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Row-major general matrix products through {@code dev.ludovic.netlib}'s BLAS: the machine's native
 * BLAS for the products of real networks, the vector-API Java BLAS for the tiny ones.
 *
 * <p>BLAS is column-major; a row-major {@code m × n} matrix with leading dimension {@code ld} is the
 * column-major view of its transpose. So {@code C = op(A)·op(B)} in row-major order is computed as
 * {@code Cᵀ = op(B)ᵀ·op(A)ᵀ} in column-major order, which means swapping the operands and the sizes
 * {@code m} and {@code n} — no copy, no transposition in memory.
 *
 * <h2>Which BLAS</h2>
 * A product of at least {@link #NATIVE_MIN_FLOPS} floating-point operations (2·m·n·k) goes to netlib's
 * {@code JNIBLAS}, that is the system's {@code libblas.so.3} — OpenBLAS on Debian with
 * {@code libopenblas0}, which the Docker image installs. On this project's T4 products OpenBLAS is 3–4×
 * faster than the best Java BLAS (BENCHMARKS.md). Smaller products, like every product of the
 * tutorial's networks (T1–T3), stay in the JVM with {@code VectorBLAS}, because a JNI call costs more
 * than they do. Products with one row or one column (single-row predictions) are matrix-vector products
 * on the Java BLAS.
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
 * A product of at least {@link #PARALLEL_MIN_FLOPS} is cut into {@link #threads()} blocks of
 * {@code C} — blocks of rows when {@code m ≥ n}, of columns otherwise — and every block is one BLAS
 * call on a view of the operands. A block of {@code C} depends only on its own rows of {@code op(A)}
 * (or columns of {@code op(B)}), so there is nothing to reduce: every element is summed over {@code k}
 * by the same kernel in the same order as in one call, and the result is bit-identical to the serial
 * product whatever the number of threads (block boundaries are multiples of the kernels' register
 * blocks, {@link #BLOCK_ALIGNMENT} and {@link #NATIVE_BLOCK_ALIGNMENT}, so no element moves from a
 * kernel's full tiles to its edge loops). {@code GemmTest} checks that identity on both BLAS.
 *
 * <p>The calling thread computes the first block itself and then takes back every block no helper
 * has started yet, so a product never waits for a busy pool: when two training jobs share the
 * cores, each simply computes more of its own blocks.
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
     * the hand-over to a helper costs a few microseconds.
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

    /** System property overriding the number of threads a product may use (default: the cores). */
    public static final String THREADS_PROPERTY = "backprop.gemm.threads";

    private static final int THREADS = Math.max(1, Integer.getInteger(THREADS_PROPERTY,
            Runtime.getRuntime().availableProcessors()));

    private static final HelperPool HELPERS = THREADS > 1 ? new HelperPool(THREADS - 1) : null;

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
        String split = THREADS > 1 ? "; products from " + PARALLEL_MIN_FLOPS + " flops split across " + THREADS + " threads" : "";
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

    /** How many threads one large product is split across (the calling thread included). */
    public static int threads() {
        return THREADS;
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
        BLAS blas = NATIVE_BLAS != null && 2L * m * n * k >= NATIVE_MIN_FLOPS ? NATIVE_BLAS : JAVA_BLAS;
        if (m == 1 || n == 1) {
            multiplyVector(blas, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        split(blas, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, THREADS);
    }

    /**
     * A product with one row or one column of {@code C} as a matrix-vector product ({@code dgemv}):
     * single-row predictions are all this shape, and {@code dgemv} is about 4× faster than
     * {@code dgemm} on it, native or not (a probe of 20,000 calls: 30–33 against 125 µs for
     * 1×784 · 784×256). Large ones go to the native BLAS too: VectorBLAS's {@code dgemv} was once seen
     * running on the vector API's uncompiled fallback in a busy server (JFR: {@code DoubleVector.ldOp}),
     * ten times slower, while native code does not depend on the JIT.
     */
    private static void multiplyVector(BLAS blas, boolean transposeA, boolean transposeB, int m, int n, int k, double alpha,
                                       double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc) {
        if (m == 1) {
            // c (n) = op(B)ᵀ-as-stored · the one row of op(A)
            int incX = transposeA ? lda : 1;
            if (transposeB) {
                blas.dgemv("T", k, n, alpha, b, ldb, a, incX, beta, c, 1);
            } else {
                blas.dgemv("N", n, k, alpha, b, ldb, a, incX, beta, c, 1);
            }
        } else {
            // c (m, stride ldc) = op(A) · the one column of op(B)
            int incX = transposeB ? 1 : ldb;
            if (transposeA) {
                blas.dgemv("N", m, k, alpha, a, lda, b, incX, beta, c, ldc);
            } else {
                blas.dgemv("T", k, m, alpha, a, lda, b, incX, beta, c, ldc);
            }
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
        if (m == 0 || n == 0) {
            return;
        }
        Product product = new Product(blas, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        int blocks = HELPERS == null ? 1 : product.blockCount(Math.min(maxThreads, THREADS));
        if (blocks == 1) {
            product.computeBlock(0, product.splitLength());
            return;
        }
        product.runSplit(blocks);
    }

    /** One call's operands and the arithmetic of cutting it into blocks of {@code C}. */
    private static final class Product {
        final BLAS blas;
        final boolean transposeA;
        final boolean transposeB;
        final int m;
        final int n;
        final int k;
        final double alpha;
        final double[] a;
        final int lda;
        final double[] b;
        final int ldb;
        final double beta;
        final double[] c;
        final int ldc;
        final boolean splitRows;

        Product(BLAS blas, boolean transposeA, boolean transposeB, int m, int n, int k, double alpha, double[] a, int lda,
                double[] b, int ldb, double beta, double[] c, int ldc) {
            this.blas = blas;
            this.transposeA = transposeA;
            this.transposeB = transposeB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.lda = lda;
            this.b = b;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.ldc = ldc;
            this.splitRows = m >= n;
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
            if (splitRows) {
                // rows of C need the same rows of op(A): row r of A, or column r of a transposed A
                int aOffset = transposeA ? from : from * lda;
                blas.dgemm(transposeB ? "T" : "N", transposeA ? "T" : "N", n, length, k, alpha,
                        b, 0, ldb, a, aOffset, lda, beta, c, from * ldc, ldc);
            } else {
                // columns of C need the same columns of op(B): column j of B, or row j of a transposed B
                int bOffset = transposeB ? from * ldb : from;
                blas.dgemm(transposeB ? "T" : "N", transposeA ? "T" : "N", length, m, k, alpha,
                        b, bOffset, ldb, a, 0, lda, beta, c, from, ldc);
            }
        }

        void runSplit(int blocks) {
            Block[] helped = new Block[blocks - 1];
            for (int i = 1; i < blocks; i++) {
                helped[i - 1] = new Block(this, blockStart(i, blocks), blockStart(i + 1, blocks));
                HELPERS.offer(helped[i - 1]);
            }
            computeBlock(0, blockStart(1, blocks));
            for (Block block : helped) {
                if (block.claim()) {
                    block.run();
                } else {
                    block.awaitDone();
                }
            }
            for (Block block : helped) {
                block.rethrowFailure();
            }
        }
    }

    /** A block handed to the helpers; whoever claims it first (helper or caller) computes it. */
    private static final class Block implements Runnable {
        private static final int NEW = 0;
        private static final int CLAIMED = 1;
        private final Product product;
        private final int from;
        private final int to;
        private final AtomicInteger state = new AtomicInteger(NEW);
        private final Thread owner = Thread.currentThread();
        private volatile boolean done;
        private volatile Throwable failure;

        Block(Product product, int from, int to) {
            this.product = product;
            this.from = from;
            this.to = to;
        }

        boolean claim() {
            return state.compareAndSet(NEW, CLAIMED);
        }

        @Override
        public void run() {
            try {
                product.computeBlock(from, to);
            } catch (RuntimeException | Error e) {
                failure = e;
            } finally {
                done = true;
                LockSupport.unpark(owner);
            }
        }

        void awaitDone() {
            // A block takes tens of microseconds to milliseconds: spin briefly, then park until run() unparks us.
            for (int spins = 0; !done && spins < 2_000; spins++) {
                Thread.onSpinWait();
            }
            while (!done) {
                LockSupport.park(this);
            }
        }

        void rethrowFailure() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }
    }

    /** Daemon helper threads taking blocks from a queue; a block already claimed by its caller is skipped. */
    private static final class HelperPool {
        private static final long SPIN_NANOS = 100_000;
        private final BlockingQueue<Block> queue = new ArrayBlockingQueue<>(1024);

        HelperPool(int helpers) {
            for (int i = 0; i < helpers; i++) {
                Thread thread = new Thread(this::work, "backprop-gemm-" + (i + 1));
                thread.setDaemon(true);
                thread.start();
            }
        }

        void offer(Block block) {
            // A full queue only means the helpers are far behind: the caller will claim the block itself.
            queue.offer(block);
        }

        private void work() {
            while (true) {
                Block block = pollSpinning();
                if (block == null) {
                    try {
                        block = queue.take();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (block.claim()) {
                    block.run();
                }
            }
        }

        /**
         * The next block if one comes within {@link #SPIN_NANOS}: during training the next product follows
         * the last within tens of microseconds, and waking a parked thread costs about as much (batch 32
         * makes ~11,000 hand-overs per epoch of the T4 network).
         */
        private Block pollSpinning() {
            long start = System.nanoTime();
            do {
                Block block = queue.poll();
                if (block != null) {
                    return block;
                }
                Thread.onSpinWait();
            } while (System.nanoTime() - start < SPIN_NANOS);
            return null;
        }
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
