package dev.backprop.nn;

/** Asked between mini-batches whether the run should stop; cancellation is cooperative. */
@FunctionalInterface
public interface CancellationToken {

    /** A token that never cancels. */
    CancellationToken NONE = () -> false;

    /** True once the run should stop. */
    boolean isCancellationRequested();
}
