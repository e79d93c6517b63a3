package dev.backprop.training;

/**
 * Which epochs of a run its stored history keeps, decided as the epochs arrive, the same way for every run of the
 * same length. Epochs {@code 1..exactEpochs} are all kept. Beyond them every {@code k}-th epoch is kept, counted from
 * {@code exactEpochs}, with the stride {@code k = ⌈(epochs − exactEpochs) / thinnedEpochs⌉} chosen from the run's
 * epoch count so that at most {@code thinnedEpochs} of them are; the run's last epoch and its best epoch (early
 * stopping's, whose weights the model holds) are added at its end when the stride passed them over. A run of
 * 100,000 epochs with the defaults (10,000 and 10,000) stores epochs 1 to 10,000 and then every 9th: 20,000 rows
 * instead of 100,000, at most {@code exactEpochs + thinnedEpochs + 2} whatever the length.
 *
 * <p>Every k-th rather than min/max buckets: a stored epoch is an epoch as it happened (a follower resumes from its id,
 * {@code Last-Event-ID}), a decision needs no look-ahead, and the dashboard draws its own min/max buckets from what is
 * stored.
 *
 * @param exactEpochs   epochs kept one by one
 * @param thinnedEpochs epochs kept at most beyond those, besides the last and the best
 * @param epochs        the epochs the run is asked for
 */
public record HistoryThinning(int exactEpochs, int thinnedEpochs, int epochs) {

    public HistoryThinning {
        if (exactEpochs < 0 || thinnedEpochs < 1 || epochs < 0) {
            throw new IllegalArgumentException("exactEpochs must be ≥ 0, thinnedEpochs ≥ 1 and epochs ≥ 0, got "
                    + exactEpochs + ", " + thinnedEpochs + ", " + epochs);
        }
    }

    /** The distance between two kept epochs beyond {@link #exactEpochs}; 1 when the run is short enough to keep all. */
    public int stride() {
        long beyond = (long) epochs - exactEpochs;
        return beyond <= thinnedEpochs ? 1 : (int) ((beyond + thinnedEpochs - 1) / thinnedEpochs);
    }

    /** Whether the stride keeps this epoch (from 1); the last and best epochs are added at the end regardless. */
    public boolean keeps(int epoch) {
        return epoch <= exactEpochs || (epoch - exactEpochs) % stride() == 0;
    }

    /** The most rows the run stores: the kept epochs plus the last and the best, what a quota check reserves. */
    public long maxStored() {
        if (epochs <= exactEpochs) {
            return epochs;
        }
        return exactEpochs + (epochs - exactEpochs) / stride() + 2L;
    }
}
