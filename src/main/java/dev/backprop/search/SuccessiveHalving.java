package dev.backprop.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The rungs of successive halving (Jamieson and Talwalkar, "Non-stochastic Best Arm Identification and
 * Hyperparameter Optimization", AISTATS 2016), as one bracket of Hyperband (Li et al., "Hyperband: A Novel
 * Bandit-Based Approach to Hyperparameter Optimization", JMLR 2018): all {@code n} trials train
 * {@code epochs / η^K} epochs, the best {@code n / η} go on to η times as many, and so on until the last
 * rung trains the full epochs. A promoted trial is trained again from scratch with its larger budget (same
 * seed) rather than resumed from a checkpoint: simpler, and the search stores no weights, at the cost of
 * {@code 1/(η−1)} more epochs at most.
 *
 * <p>Rungs are numbered as in the most exploratory bracket of a {@link Hyperband}: a bracket that starts with
 * larger budgets starts at a later rung {@code firstRung}, and every bracket ends at {@code lastRung}, so that
 * a rung always means the same epochs and a stored record's rung compares across brackets.
 *
 * @param first     the index of its first trial (its trials are {@code first … first + trials − 1})
 * @param firstRung the rung its trials start at (0 for plain successive halving)
 */
record SuccessiveHalving(int first, int trials, int eta, int firstRung, int lastRung) {

    static final int DEFAULT_ETA = 3;
    static final int MAX_ETA = 10;

    /** The rungs of {@code trials} trials of {@code epochs} epochs. */
    static SuccessiveHalving of(int trials, int epochs, int eta) {
        return new SuccessiveHalving(0, trials, eta, 0, lastRung(trials, epochs, eta));
    }

    /**
     * The last rung {@code K}: as many halvings as leave at least one trial and at least one epoch in rung 0.
     */
    static int lastRung(int trials, int epochs, int eta) {
        int rung = 0;
        long power = eta;
        while (power <= trials && power <= epochs) {
            rung++;
            power *= eta;
        }
        return rung;
    }

    /**
     * Trains one rung's pending trials; {@code latest} holds each trial's stored record of its highest rung;
     * {@code firstRun} says the rung is its trials' first (their points are drawn now, their records new).
     */
    @FunctionalInterface
    interface Rung {
        void train(int rung, boolean firstRun, List<Integer> pending, Map<Integer, TrialRecord> latest);
    }

    /**
     * Runs the rungs: each trains its trials not yet stored at that rung (so a restart resumes), then the best
     * go on to the next, until the last rung or an interruption.
     *
     * @param stored the search's stored trials, one record per trial (of its highest rung), read afresh each rung
     */
    void run(Supplier<List<TrialRecord>> stored, Rung rung, BooleanSupplier interrupted, boolean higherIsBetter) {
        List<Integer> participants = IntStream.range(first, first + trials).boxed().toList();
        for (int current = firstRung; ; current++) {
            int at = current;
            Map<Integer, TrialRecord> latest = byIndex(stored.get());
            rung.train(current, current == firstRung, participants.stream()
                    .filter(i -> latest.get(i) == null || latest.get(i).rung() < at).toList(), latest);
            if (current == lastRung || interrupted.getAsBoolean()) {
                return;
            }
            participants = promoted(current, participants, byIndex(stored.get()), higherIsBetter);
        }
    }

    private static Map<Integer, TrialRecord> byIndex(List<TrialRecord> records) {
        Map<Integer, TrialRecord> byIndex = new HashMap<>();
        records.forEach(t -> byIndex.put(t.index(), t));
        return byIndex;
    }

    /** Trials that train in {@code rung}: {@code n / η^(rung − firstRung)}, at least one. */
    int survivors(int rung) {
        return (int) Math.max(1, trials / Math.pow(eta, rung - firstRung));
    }

    /** Trial runs in all: every rung's survivors (a trial promoted twice runs three times). */
    int runs() {
        int runs = 0;
        for (int rung = firstRung; rung <= lastRung; rung++) {
            runs += survivors(rung);
        }
        return runs;
    }

    /** Whether trial {@code index} is one of this bracket's. */
    boolean holds(int index) {
        return index >= first && index < first + trials;
    }

    /** The share of a trial's epochs it trains in {@code rung}: {@code η^(rung − K)}, 1 in the last. */
    double epochShare(int rung) {
        return Math.pow(eta, rung - lastRung);
    }

    /**
     * The trials of {@code rung} that go on to the next: the best {@link #survivors} of the next rung among
     * those that succeeded. {@code latest} holds each trial's stored record of its highest rung; one already
     * past {@code rung} (promoted before a restart) keeps its place, and the rest of the places go to the best
     * of those stored at {@code rung} — the same choice as before the restart, since they were ranked
     * below every promoted one.
     */
    List<Integer> promoted(int rung, List<Integer> participants, Map<Integer, TrialRecord> latest, boolean higherIsBetter) {
        List<Integer> promoted = new ArrayList<>();
        List<TrialRecord> candidates = new ArrayList<>();
        for (int index : participants) {
            TrialRecord record = latest.get(index);
            if (record == null) {
                continue;
            }
            if (record.rung() > rung) {
                promoted.add(index);
            } else if (record.rung() == rung && record.succeeded()) {
                candidates.add(record);
            }
        }
        int[] ranks = TrialRanking.rankStandings(candidates.stream().map(TrialRecord::standing).toList(), higherIsBetter);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            order.add(i);
        }
        // rank, then index: the trial order breaks exact ties, so a restart promotes the same trials
        order.sort((a, b) -> ranks[a] != ranks[b] ? Integer.compare(ranks[a], ranks[b])
                : Integer.compare(candidates.get(a).index(), candidates.get(b).index()));
        int places = survivors(rung + 1) - promoted.size();
        for (int i = 0; i < Math.min(places, order.size()); i++) {
            promoted.add(candidates.get(order.get(i)).index());
        }
        promoted.sort(Integer::compare);
        return promoted;
    }
}
