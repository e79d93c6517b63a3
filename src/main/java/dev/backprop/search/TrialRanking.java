package dev.backprop.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ranks trials by score as scikit-learn's {@code rank_test_score} does: 1 is best, tied scores share
 * the smallest rank, and trials without a score (failed) are ranked after all scored ones.
 */
public final class TrialRanking {

    private TrialRanking() {
    }

    /**
     * @param scores one score per trial, null for a trial without one
     * @return the rank of each trial, from 1
     */
    public static int[] rank(List<Double> scores, boolean higherIsBetter) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            order.add(i);
        }
        Comparator<Integer> byScore = (a, b) -> {
            Double x = scores.get(a);
            Double y = scores.get(b);
            if (x == null || y == null) {
                return x == null ? (y == null ? 0 : 1) : -1;
            }
            return higherIsBetter ? Double.compare(y, x) : Double.compare(x, y);
        };
        order.sort(byScore.thenComparing(Comparator.naturalOrder()));
        int[] ranks = new int[scores.size()];
        for (int position = 0; position < order.size(); position++) {
            int trial = order.get(position);
            boolean tiedWithPrevious = position > 0 && byScore.compare(order.get(position - 1), trial) == 0;
            ranks[trial] = tiedWithPrevious ? ranks[order.get(position - 1)] : position + 1;
        }
        return ranks;
    }
}
