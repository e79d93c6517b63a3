package dev.backprop.nn;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one piece of work as a few contiguous blocks of an index range at once, on the calling thread and
 * {@link #threads()} − 1 daemon workers that the whole JVM shares. {@link Gemm} cuts its large products
 * into blocks of {@code C} with it; the element-wise passes of a training step over every weight
 * (gradient conversion, norm, optimizer update) use {@link #forBlocks}, which would otherwise leave a
 * core idle between products.
 *
 * <p>The calling thread computes the first block itself and then takes back every block no worker
 * has started yet, so a caller never waits for a busy pool: when two training jobs share the cores,
 * each simply computes more of its own blocks. Which thread computes a block never moves its
 * boundaries: they depend only on the range and the thread count, so a result assembled block by
 * block is repeatable for a given thread count.
 *
 * <p>A {@link RuntimeException} or {@link Error} thrown by a block handed to the workers is rethrown on
 * the caller once every block has finished (the first in block order, whoever computed it). One thrown
 * by the first block, which the caller computes before looking at the others, propagates at once.
 */
public final class ParallelBlocks {

    /**
     * System property overriding the number of threads a large product or element pass is split
     * across (default: the cores). It keeps the name it had when only products were split, so existing
     * configurations still apply.
     */
    public static final String THREADS_PROPERTY = "backprop.gemm.threads";

    private static final int THREADS = Math.max(1, Integer.getInteger(THREADS_PROPERTY,
            Runtime.getRuntime().availableProcessors()));

    private static final Workers WORKERS = THREADS > 1 ? new Workers(THREADS - 1) : null;

    /** Element passes shorter than this (a few microseconds of work) run on the calling thread. */
    static final int PARALLEL_MIN_ELEMENTS = 1 << 15;

    private ParallelBlocks() {
    }

    /**
     * How many threads one large product or element pass is split across, the calling thread included:
     * {@value #THREADS_PROPERTY} if set, else the cores; at least 1.
     */
    public static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code task} for each index in {@code [0, count)}, each index a block: index 0 on the calling
     * thread, the others on whichever thread takes them first (the caller takes back those no worker has
     * started). For coarse pieces of work outside the engine, such as the segments of a file being read or
     * the columns of a table being summarized; a task that must not leave work running behind it catches
     * its own exceptions, since one thrown by index 0 propagates before the other indices are awaited.
     *
     * @param count the number of tasks; none runs when it is 0
     */
    public static void forEachTask(int count, java.util.function.IntConsumer task) {
        if (count <= 0) {
            return;
        }
        int[] starts = new int[count + 1];
        for (int i = 0; i <= count; i++) {
            starts[i] = i;
        }
        run((block, from, to) -> task.accept(block), starts);
    }

    /**
     * Runs {@code task} once per thread of the pool, the caller's included, each run waiting up to {@code waitMillis}
     * for the others to arrive so that the runs overlap: for {@link Gemm}'s priming of one native work buffer per
     * concurrent caller. A worker busy elsewhere makes the caller run its share afterwards, not at the same time.
     *
     * @return how many runs saw every thread arrive before they started (all of them on an idle pool)
     */
    static int onEveryThreadTogether(long waitMillis, Runnable task) {
        CountDownLatch arrived = new CountDownLatch(THREADS);
        AtomicInteger together = new AtomicInteger();
        forEachTask(THREADS, index -> {
            arrived.countDown();
            try {
                if (arrived.await(waitMillis, TimeUnit.MILLISECONDS)) {
                    together.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            task.run();
        });
        return together.get();
    }

    /** Work on the elements {@code [from, to)}, block {@code block} of a split. */
    @FunctionalInterface
    interface BlockTask {
        void run(int block, int from, int to);
    }

    /**
     * Runs {@code task} over {@code [0, length)} in {@link #threads()} nearly equal blocks (one block when
     * {@code length} is below {@link #PARALLEL_MIN_ELEMENTS} or there is one thread). Block boundaries are
     * multiples of 16 elements (whole cache lines of floats) and depend only on {@code length} and the
     * thread count, so a reduction over blocks in block order is repeatable.
     *
     * @return the number of blocks, {@code 0} to {@code blocks - 1} as passed to the task
     */
    static int forBlocks(int length, BlockTask task) {
        int blocks = WORKERS == null || length < PARALLEL_MIN_ELEMENTS ? 1 : THREADS;
        if (blocks == 1) {
            task.run(0, 0, length);
            return 1;
        }
        int[] starts = new int[blocks + 1];
        for (int i = 0; i < blocks; i++) {
            starts[i] = (int) ((long) length * i / blocks) & ~15;
        }
        starts[blocks] = length;
        run(task, starts);
        return blocks;
    }

    /** Work on the indices {@code [from, to)} of a range: one block of a {@link #forRanges} split. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    /**
     * Runs {@code task} over {@code [0, length)} in {@link #threads()} nearly equal contiguous blocks, or in one
     * block on the calling thread when {@code length} is below {@code minLength} or there is one thread: the
     * same pool the products use, for work outside the engine whose indices are independent (a data set's
     * columns, tiles of rows), so that its result cannot depend on the split. A job's data preparation uses it
     * between claim and first epoch, when the pool would otherwise leave a core idle. Exceptions propagate as in
     * the products' blocks.
     *
     * @param minLength the shortest range worth a hand-over (a few hundred microseconds of work)
     */
    public static void forRanges(int length, int minLength, RangeTask task) {
        int blocks = WORKERS == null || length < Math.max(2, minLength) ? 1 : Math.min(THREADS, length);
        if (blocks == 1) {
            task.run(0, length);
            return;
        }
        int[] starts = new int[blocks + 1];
        for (int i = 0; i <= blocks; i++) {
            starts[i] = (int) ((long) length * i / blocks);
        }
        run((block, from, to) -> task.run(from, to), starts);
    }

    /**
     * Runs {@code task} on the blocks {@code [starts[i], starts[i + 1])} for {@code i} from 0 to
     * {@code starts.length - 2}, for callers that choose their own boundaries ({@link Gemm} aligns them
     * to its kernels' register blocks). Blocks 1… go to the workers; the caller computes block 0, then
     * claims back or awaits the rest. Without workers the caller computes every block in order.
     */
    static void run(BlockTask task, int[] starts) {
        int blocks = starts.length - 1;
        if (WORKERS == null) {
            for (int i = 0; i < blocks; i++) {
                task.run(i, starts[i], starts[i + 1]);
            }
            return;
        }
        Block[] handedOver = new Block[blocks - 1];
        for (int i = 1; i < blocks; i++) {
            handedOver[i - 1] = new Block(task, i, starts[i], starts[i + 1]);
            WORKERS.offer(handedOver[i - 1]);
        }
        task.run(0, starts[0], starts[1]);
        for (Block block : handedOver) {
            if (block.claim()) {
                block.run();
            } else {
                block.awaitDone();
            }
        }
        for (Block block : handedOver) {
            block.rethrowFailure();
        }
    }

    /** A block handed to the workers; whoever claims it first (worker or caller) computes it. */
    private static final class Block implements Runnable {
        private static final int NEW = 0;
        private static final int CLAIMED = 1;
        private final BlockTask task;
        private final int index;
        private final int from;
        private final int to;
        private final AtomicInteger state = new AtomicInteger(NEW);
        private final Thread owner = Thread.currentThread();
        private volatile boolean done;
        private volatile Throwable failure;

        Block(BlockTask task, int index, int from, int to) {
            this.task = task;
            this.index = index;
            this.from = from;
            this.to = to;
        }

        boolean claim() {
            return state.compareAndSet(NEW, CLAIMED);
        }

        @Override
        public void run() {
            try {
                task.run(index, from, to);
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

    /** Daemon worker threads taking blocks from a queue; a block already claimed by its caller is skipped. */
    private static final class Workers {
        private static final long SPIN_NANOS = 100_000;
        private final BlockingQueue<Block> queue = new ArrayBlockingQueue<>(1024);

        Workers(int count) {
            for (int i = 0; i < count; i++) {
                // The name predates the element passes; thread dumps and profiles taken so far know it.
                Thread thread = new Thread(this::work, "backprop-gemm-" + (i + 1));
                thread.setDaemon(true);
                thread.start();
            }
        }

        void offer(Block block) {
            // A full queue only means the workers are far behind: the caller will claim the block itself.
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
}
