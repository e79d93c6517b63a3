package dev.backprop.search;

import dev.backprop.job.Job;
import dev.backprop.training.Direction;
import dev.backprop.training.SearchSpec;
import dev.backprop.training.TrainingInputs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/** Reads a search's outcome: its stored trials, ranked. */
@Component
public class SearchReports {

    private final TrialRepository trials;

    SearchReports(TrialRepository trials) {
        this.trials = trials;
    }

    /** A search's trials ranked by its metric, with the best one and its history. */
    public SearchResults of(Job job) {
        SearchSpec search = TrainingInputs.specOf(job).search();
        List<TrialRecord> stored = trials.findTrials(job.id(), true);
        int[] ranks = TrialRanking.rankStandings(stored.stream().map(TrialRecord::standing).toList(), search.mode() == Direction.MAX);
        List<SearchResults.RankedTrial> ranked = new ArrayList<>();
        TrialRecord best = null;
        for (int i = 0; i < stored.size(); i++) {
            TrialRecord t = stored.get(i);
            ranked.add(new SearchResults.RankedTrial(t.index(), ranks[i], t.params(), t.status(), t.score(), t.scoreStd(),
                    t.foldScores(), t.fitMillis(), t.error(), t.seed(), t.validationLoss(), t.bestEpoch(), t.parameterCount(),
                    t.epochs(), t.stopReason()));
            if (ranks[i] == 1 && t.succeeded() && best == null) {
                best = t;
            }
        }
        ranked.sort(Comparator.comparingInt(SearchResults.RankedTrial::rank).thenComparingInt(SearchResults.RankedTrial::index));
        return new SearchResults(search.metric(), search.mode(), search.folds(), job.trialsTotal(), ranked,
                best == null ? null : best.index(), best == null ? null : best.params(), best == null ? null : best.score(),
                best == null ? null : best.history());
    }
}
