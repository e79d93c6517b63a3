package dev.backprop.search;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Hyperband (Li, Jamieson, DeSalvo, Rostamizadeh and Talwalkar, "Hyperband: A Novel Bandit-Based Approach to
 * Hyperparameter Optimization", JMLR 18(185), 2018): brackets of {@link SuccessiveHalving} that trade the number
 * of trials against the epochs each starts with. Bracket {@code s} (from {@code s_max} down to 0) starts its
 * trials at {@code epochs / η^s} and halves {@code s} times; the most exploratory bracket is plain successive
 * halving, the last trains every trial in full. Which bracket is right is not known in advance (a setting that
 * only shows its worth late is cut by the aggressive brackets), so Hyperband hedges over all of them.
 *
 * <p>The paper fixes each bracket's trials at {@code n_s = ⌈(s_max + 1) / (s + 1) · η^s⌉}; a search here has a
 * trial count of its own, so the trials are shared out over the brackets in those proportions (at least one
 * each), and {@code s_max} is the number of halvings a single bracket of all the trials would have. Brackets
 * run one after another, the most exploratory first. Plain successive halving is the one-bracket case.
 *
 * @param brackets in the order they run; trial indices are consecutive across them
 */
record Hyperband(List<SuccessiveHalving> brackets) {

    /** One bracket: plain successive halving of {@code trials} trials. */
    static Hyperband halving(int trials, int epochs, int eta) {
        return new Hyperband(List.of(SuccessiveHalving.of(trials, epochs, eta)));
    }

    /** Brackets {@code s_max … 0} sharing {@code trials} trials of at most {@code epochs} epochs. */
    static Hyperband of(int trials, int epochs, int eta) {
        int sMax = SuccessiveHalving.lastRung(trials, epochs, eta);
        int[] shares = shares(trials, sMax, eta);
        List<SuccessiveHalving> brackets = new ArrayList<>();
        int first = 0;
        for (int s = sMax; s >= 0; s--) {
            int n = shares[sMax - s];
            brackets.add(new SuccessiveHalving(first, n, eta, sMax - s, sMax));
            first += n;
        }
        return new Hyperband(brackets);
    }

    /** Trials per bracket (index 0 is {@code s_max}): the paper's {@code n_s} scaled to {@code trials}, each at least 1. */
    static int[] shares(int trials, int sMax, int eta) {
        int brackets = sMax + 1;
        double[] weights = new double[brackets];
        double total = 0;
        for (int i = 0; i < brackets; i++) {
            int s = sMax - i;
            weights[i] = Math.ceil((double) brackets / (s + 1) * Math.pow(eta, s));
            total += weights[i];
        }
        int[] shares = new int[brackets];
        int given = 0;
        for (int i = 0; i < brackets; i++) {
            shares[i] = Math.max(1, (int) Math.floor(trials * weights[i] / total));
            given += shares[i];
        }
        // the rounding's remainder goes to the most exploratory brackets first; an excess (from the minimum of 1)
        // comes off the largest bracket
        for (int i = 0; given < trials; i = (i + 1) % brackets) {
            shares[i]++;
            given++;
        }
        while (given > trials) {
            int largest = 0;
            for (int i = 1; i < brackets; i++) {
                largest = shares[i] > shares[largest] ? i : largest;
            }
            shares[largest]--;
            given--;
        }
        return shares;
    }

    /** The rung every bracket ends at, where trials train their full epochs. */
    int lastRung() {
        return brackets.get(0).lastRung();
    }

    /** The share of a trial's epochs it trains in {@code rung}, the same in every bracket. */
    double epochShare(int rung) {
        return brackets.get(0).epochShare(rung);
    }

    /** Trial runs in all, over every bracket and rung: what a search's progress counts. */
    int runs() {
        return brackets.stream().mapToInt(SuccessiveHalving::runs).sum();
    }

    /** The runs a trial has made when its stored record is of {@code record.rung()}: its bracket's rungs up to that one. */
    int runsSoFar(TrialRecord record) {
        for (SuccessiveHalving bracket : brackets) {
            if (bracket.holds(record.index())) {
                return record.rung() - bracket.firstRung() + 1;
            }
        }
        return 1;
    }

    /** Runs the brackets one after another, each as {@link SuccessiveHalving#run}, until an interruption. */
    void run(Supplier<List<TrialRecord>> stored, SuccessiveHalving.Rung rung, BooleanSupplier interrupted, boolean higherIsBetter) {
        for (SuccessiveHalving bracket : brackets) {
            bracket.run(stored, rung, interrupted, higherIsBetter);
            if (interrupted.getAsBoolean()) {
                return;
            }
        }
    }
}
