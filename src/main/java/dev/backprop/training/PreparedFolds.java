package dev.backprop.training;

import dev.backprop.data.FeaturePipeline;
import dev.backprop.nn.LabeledData;
import dev.backprop.nn.Task;
import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The encoded rows of one search's folds (or its holdout), kept across its trials: trials that differ only in
 * what they train (units, learning rate, l2, …) train on the same pipeline and matrices, so each fold is split,
 * fitted and encoded once per search and replica instead of once per trial. One instance per search and data set;
 * safe for the trials that run at once (the first trial to ask prepares, the others wait for it). Entries are kept
 * while their matrices fit in a quarter of the heap (beyond that a trial prepares its own, as before), and softly:
 * a heap that runs short takes them back before it fails, and the next trial prepares again.
 */
public final class PreparedFolds {

    private final long byteBudget;
    private final Map<Key, Slot> slots = new HashMap<>();
    private long bytesKept;
    private int preparations;

    /** Keeps up to a quarter of the heap. */
    public PreparedFolds() {
        this(Runtime.getRuntime().maxMemory() / 4);
    }

    PreparedFolds(long byteBudget) {
        this.byteBudget = byteBudget;
    }

    /** Preparations made so far (a split, a pipeline fit and an encoding each). */
    public synchronized int preparations() {
        return preparations;
    }

    /**
     * What decides a preparation: the fold (or -1 and the holdout's seed and settings), the encoding options and the
     * task's outputs. Everything else of a trial only changes how it trains.
     */
    record Key(int fold, long splitSeed, double validationFraction, ValidationSplit validationSplit, Scaling scaling,
               Imputation imputation, UnknownCategories unknownCategories, TargetScalingMode targetScaling, Task task,
               int outputUnits) {
    }

    /** One preparation: the pipeline fitted on the training rows, the encoded rows, the target's standardization. */
    record Encoded(FeaturePipeline pipeline, LabeledData training, LabeledData validation, TargetScaling targetScaling) {

        long bytes() {
            long values = training.valueCount();
            if (validation != null) {
                values += validation.valueCount();
            }
            return values * Double.BYTES;
        }
    }

    /** The preparation of {@code key}, made by {@code prepare} unless kept; a null from it (errors) is not kept. */
    Encoded get(Key key, Supplier<Encoded> prepare) {
        Slot slot;
        synchronized (this) {
            slot = slots.computeIfAbsent(key, k -> new Slot());
        }
        return slot.get(key, prepare);
    }

    private synchronized void prepared(Key key, Slot slot, Encoded encoded) {
        preparations++;
        if (bytesKept + encoded.bytes() <= byteBudget) {
            bytesKept += encoded.bytes();
        } else {
            slots.remove(key, slot);  // over the budget: this trial keeps its own, the next prepares again
        }
    }

    /** One key's preparation, made once; softly held, so that a heap in need takes it back (the next trial prepares again). */
    private final class Slot {
        private SoftReference<Encoded> encoded = new SoftReference<>(null);

        synchronized Encoded get(Key key, Supplier<Encoded> prepare) {
            Encoded kept = encoded.get();
            if (kept == null) {
                kept = prepare.get();
                if (kept == null) {
                    return null;  // the caller's errors name what is wrong; the next caller finds them again
                }
                prepared(key, this, kept);
                encoded = new SoftReference<>(kept);
            }
            return kept;
        }
    }
}
