package dev.backprop.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

class ParallelBlocksTest {

    private static final int LONG_PASS = 3 * ParallelBlocks.PARALLEL_MIN_ELEMENTS + 17;

    @Test
    void everyIndexIsVisitedExactlyOnceWhateverTheLength() {
        int[] lengths = {0, 1, 15, ParallelBlocks.PARALLEL_MIN_ELEMENTS - 1, ParallelBlocks.PARALLEL_MIN_ELEMENTS, LONG_PASS,
                1_000_003};
        for (int length : lengths) {
            AtomicIntegerArray visits = new AtomicIntegerArray(length);
            ParallelBlocks.forBlocks(length, (block, from, to) -> {
                for (int i = from; i < to; i++) {
                    visits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < length; i++) {
                assertThat(visits.get(i)).as("visits of index %d of %d", i, length).isEqualTo(1);
            }
        }
    }

    @Test
    void rangesCoverEveryIndexOnceInUpToOneBlockPerThreadAndStayOnTheCallerBelowTheirMinimum() {
        for (int length : new int[]{0, 1, 2, 3, 784, 1_875}) {
            AtomicIntegerArray visits = new AtomicIntegerArray(length);
            java.util.List<int[]> blocks = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            ParallelBlocks.forRanges(length, 2, (from, to) -> {
                blocks.add(new int[]{from, to});
                for (int i = from; i < to; i++) {
                    visits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < length; i++) {
                assertThat(visits.get(i)).as("visits of index %d of %d", i, length).isEqualTo(1);
            }
            assertThat(blocks).hasSizeBetween(1, Math.max(1, Math.min(length, ParallelBlocks.threads())));
            if (length >= 2 && ParallelBlocks.threads() > 1) {
                assertThat(blocks).hasSize(Math.min(length, ParallelBlocks.threads()));
            }
        }
        Thread[] computedBy = new Thread[1];
        ParallelBlocks.forRanges(1_000, 1_001, (from, to) -> {
            assertThat(from).isZero();
            assertThat(to).isEqualTo(1_000);
            computedBy[0] = Thread.currentThread();
        });
        assertThat(computedBy[0]).isSameAs(Thread.currentThread());
    }

    @Test
    void aShortPassIsOneBlockOnTheCallingThread() {
        int length = ParallelBlocks.PARALLEL_MIN_ELEMENTS - 1;
        Split split = Split.of(length);
        assertThat(split.blocks).isEqualTo(1);
        assertThat(split.from.get(0)).isZero();
        assertThat(split.to.get(0)).isEqualTo(length);
        assertThat(split.computedBy.get(0)).isSameAs(Thread.currentThread());
    }

    @Test
    void aLongPassIsOneBlockPerThreadInOrderOnBoundariesOfSixteenElements() {
        assumeTrue(ParallelBlocks.threads() > 1, "one thread: every pass is one block");
        Split split = Split.of(LONG_PASS);
        assertThat(split.blocks).isEqualTo(ParallelBlocks.threads());
        assertThat(split.from.get(0)).isZero();
        for (int block = 0; block < split.blocks; block++) {
            assertThat(split.calls.get(block)).as("calls of block %d", block).isEqualTo(1);
            assertThat(split.from.get(block) % 16).as("start of block %d", block).isZero();
            assertThat(split.to.get(block)).as("end of block %d", block).isGreaterThan(split.from.get(block));
            if (block > 0) {
                assertThat(split.from.get(block)).as("start of block %d", block).isEqualTo(split.to.get(block - 1));
            }
        }
        assertThat(split.to.get(split.blocks - 1)).isEqualTo(LONG_PASS);
        assertThat(split.calls.get(split.blocks)).as("calls past the last block").isZero();
        assertThat(split.computedBy.get(0)).as("block 0 is the caller's").isSameAs(Thread.currentThread());
    }

    @Test
    void theBoundariesDependOnlyOnTheLengthAndTheThreadCount() {
        Split first = Split.of(LONG_PASS);
        Split second = Split.of(LONG_PASS);
        assertThat(second.blocks).isEqualTo(first.blocks);
        assertThat(second.from.toString()).isEqualTo(first.from.toString());
        assertThat(second.to.toString()).isEqualTo(first.to.toString());
    }

    @Test
    void blocksChosenByTheCallerAreEachRunOnceEvenWhenThereAreMoreThanThreads() {
        int[] starts = {0, 3, 3, 10, 64, 65, 100};
        int blocks = starts.length - 1;
        AtomicIntegerArray calls = new AtomicIntegerArray(blocks);
        AtomicBoolean wrongBounds = new AtomicBoolean();
        ParallelBlocks.run((block, from, to) -> {
            calls.incrementAndGet(block);
            if (from != starts[block] || to != starts[block + 1]) {
                wrongBounds.set(true);
            }
        }, starts);
        assertThat(wrongBounds).isFalse();
        for (int block = 0; block < blocks; block++) {
            assertThat(calls.get(block)).as("calls of block %d", block).isEqualTo(1);
        }
    }

    @Test
    void aFailureInAHandedOverBlockIsRethrownOnTheCallerAfterEveryOtherBlockHasRun() {
        int[] starts = {0, 10, 20, 30, 40, 50};
        RuntimeException second = new IllegalStateException("block 2");
        AtomicIntegerArray finished = new AtomicIntegerArray(starts.length - 1);
        assertThatThrownBy(() -> ParallelBlocks.run((block, from, to) -> {
            if (block == 2) {
                throw second;
            }
            if (block == 3) {
                throw new IllegalArgumentException("block 3, later in block order");
            }
            finished.incrementAndGet(block);
        }, starts)).isSameAs(second);
        assertThat(finished.get(0)).isEqualTo(1);
        assertThat(finished.get(1)).isEqualTo(1);
        // with one thread the caller runs the blocks in order and the first failure ends them
        int afterTheFailures = ParallelBlocks.threads() > 1 ? 1 : 0;
        assertThat(finished.get(4)).as("the block after the failures").isEqualTo(afterTheFailures);
    }

    @Test
    void anErrorInAHandedOverBlockIsRethrownToo() {
        Error error = new AssertionError("block 1");
        assertThatThrownBy(() -> ParallelBlocks.run((block, from, to) -> {
            if (block == 1) {
                throw error;
            }
        }, new int[]{0, 1, 2})).isSameAs(error);
    }

    /**
     * A second caller's pass while every worker is stuck in another caller's block: the second caller
     * must compute all of its blocks itself instead of waiting for the pool.
     */
    @Test
    void aCallerTakesBackItsBlocksWhileEveryWorkerIsBusyWithAnotherCaller() throws InterruptedException {
        int threads = ParallelBlocks.threads();
        assumeTrue(threads > 1, "one thread: there are no workers");
        CountDownLatch workersBusy = new CountDownLatch(threads - 1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean sawEveryWorkerBusy = new AtomicBoolean();
        int[] starts = new int[threads + 1];
        Arrays.setAll(starts, i -> i);
        Thread otherCaller = new Thread(() -> {
            Thread self = Thread.currentThread();
            ParallelBlocks.run((block, from, to) -> {
                if (block == 0) {
                    sawEveryWorkerBusy.set(await(workersBusy));
                } else if (Thread.currentThread() != self) {
                    workersBusy.countDown();
                    await(release);
                }
            }, starts);
        }, "other-caller");
        otherCaller.start();
        try {
            assertThat(workersBusy.await(10, TimeUnit.SECONDS)).as("every worker took a block of the other caller").isTrue();
            Split split = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                Split computed = Split.of(LONG_PASS);
                assertThat(computed.blocks).isEqualTo(threads);
                for (int block = 0; block < computed.blocks; block++) {
                    assertThat(computed.computedBy.get(block)).as("who computed block %d", block).isSameAs(Thread.currentThread());
                }
                return computed;
            });
            assertThat(split.blocks).isEqualTo(threads);
        } finally {
            release.countDown();
            otherCaller.join(10_000);
        }
        assertThat(otherCaller.isAlive()).isFalse();
        assertThat(sawEveryWorkerBusy).isTrue();
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What one {@link ParallelBlocks#forBlocks} call did: its bounds, calls and thread, block by block. */
    private record Split(int blocks, AtomicIntegerArray from, AtomicIntegerArray to, AtomicIntegerArray calls,
                         AtomicReferenceArray<Thread> computedBy) {

        static Split of(int length) {
            int slots = ParallelBlocks.threads() + 1;
            AtomicIntegerArray from = new AtomicIntegerArray(slots);
            AtomicIntegerArray to = new AtomicIntegerArray(slots);
            AtomicIntegerArray calls = new AtomicIntegerArray(slots);
            AtomicReferenceArray<Thread> computedBy = new AtomicReferenceArray<>(slots);
            int blocks = ParallelBlocks.forBlocks(length, (block, start, end) -> {
                from.set(block, start);
                to.set(block, end);
                calls.incrementAndGet(block);
                computedBy.set(block, Thread.currentThread());
            });
            return new Split(blocks, from, to, calls, computedBy);
        }
    }
}
