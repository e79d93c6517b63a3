package dev.backprop.search;

import dev.backprop.platform.ApiException.FieldError;
import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.SearchSpec;
import dev.backprop.training.TrainingJobSpec.HiddenLayerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code "type": "auto"} chooses from the data, the target and a time budget alone: a Bayesian (TPE) search
 * with the median stopping rule over widths, depths, learning rates and L2, whose first trial is the service's
 * default network (so the search starts from a model known to be good and only has to beat it), ranked by 3-fold
 * cross-validation when no rows are held out, with each trial's folds trained by the rule its refit trains by (the
 * training loss settling: {@link TrialRunner#trialEarlyStopping} says why), a budget that holds the refit and ends the
 * trials (not a trial count), the
 * best trials scored again on further splits, as many as the time the refit leaves allows ({@link Rescore}), and
 * a refit of {@link #ENSEMBLE_MEMBERS} networks of the best parameters on every row merged into one ({@link Refit}),
 * and mini-batches of up to
 * {@link #MAX_BATCH_SIZE} rows.
 *
 * <p>The choices are principles, not fits to any data set: the widths span scikit-learn's and Keras' usual
 * 32–256 around the default 100, with two-layer variants; the learning rate from a decade below adam's 0.001 to
 * two above it, the range scikit-learn's searches use, since a trial's optimizer steps are its epochs times its
 * batches and a small data set has few batches: at 80 rows a 200-epoch trial makes 600 steps, too few for 0.001
 * (the default network's best epoch was its last in the iris benchmark) and enough for 0.01–0.1 (where
 * every fold's best scikit-learn setting lay), while median and early stopping cut the rates that diverge; L2 from none to strong (1e-6 is scikit-learn's default {@code alpha = 1e-4} at 32-row batches, and 4× it at
 * 200-row batches, 1e-2 the bench's upper end); TPE because it beat random search on every set of the search benchmark; median stopping
 * because it is model-free and frees a worker from a hopeless trial; 3 folds because they are the fewest that give
 * a spread, so the budget buys more trials.
 */
final class AutoSearch {

    /**
     * Trials trained in full in a row without a better score after which an auto search starts no more, however much
     * budget is left: hyperopt's {@code no_progress_loss} rule (its default is 20). The budget is what the user allows,
     * not what the search must use: H2O's AutoML and auto-sklearn spend theirs because their plans of model families
     * keep offering something new, while one TPE over one space converges, and 50 trials after its best (five times its
     * 10 random start-up trials) it proposes near what it has tried. Trials the median rule cut short do not count: they
     * never measured their parameters (and rank below every full trial), and they come cheap and many (in the first
     * benchmark run of this rule, friedman1's outer fold 3 ended at 25 s of a 52 s budget after 55 of them and 14 full
     * trials past its best, when they counted). A trial count rather than a tolerance on the score, because the scores
     * of small data sets move in steps of one row.
     */
    static final int STALL_TRIALS = 50;
    /** Folds of an auto search without held-out rows. */
    static final int FOLDS = 3;
    /**
     * The share of the budget the trials may use; the rest is the re-scores' (up to {@link Rescore#SHARE}) and the
     * refit's. The refit is {@link #ENSEMBLE_MEMBERS}
     * networks, each on every row until its training loss settles, about a trial's time each (a trial is 3 folds on two
     * thirds of the rows each, stopped on validation rows, so sooner): half the budget holds them under load, and each
     * gets an equal share of what is left, keeping its best epoch if that ends first. The trials lose a third of their
     * time against the 75% of a one-network refit; they ran hundreds of trials and picked on the noise of 3 folds
     * (bench/NOTES.md), so averaging the final model buys more than more trials.
     */
    static final double TRIALS_SHARE = 0.5;
    /**
     * Networks an auto search's refit trains from consecutive seeds and merges ({@link NetworkEnsemble}): a deep
     * ensemble of 5, as Lakshminarayanan et al. (2017) found enough for most of the gain, and as AutoGluon's 5 bagged
     * folds. One network refit on a search's winner carries its seed's variance and the winner's curse of a large search
     * in full; the mean of 5 carries less of the first (the variance of a mean of k) and blunts the second.
     */
    static final int ENSEMBLE_MEMBERS = 5;
    /** Adam's default learning rate (Kingma & Ba), the service's default. */
    static final double DEFAULT_LEARNING_RATE = 1e-3;
    /** The service's default batch, min(32, rows) (Keras' default), that the default network was made good with. */
    static final int SERVICE_BATCH_SIZE = 32;
    static final double RATE_MIN = 1e-4;
    static final double RATE_MAX = 1e-1;
    static final double L2_MIN = 1e-6;
    static final double L2_MAX = 1e-2;
    /**
     * The batch rows at which {@link #L2_MIN}..{@link #L2_MAX} is scikit-learn's {@code alpha} range 4e-4..4 (the
     * search benchmark's): scikit-learn adds {@code alpha / (2 × batch rows) × ‖W‖²} to each batch's mean loss, so one
     * {@code alpha} is a smaller L2 here the larger the batch ({@link #l2Scale}).
     */
    static final int L2_RANGE_BATCH = 200;
    /**
     * The most training rows at which an auto search of no named network also tries tanh: LeCun et al. (1998),
     * "Efficient BackProp", recommend a smooth, zero-centred unit for small networks, and scikit-learn's searches
     * offer both; a tanh trial costs several times a relu one, so only where trials are cheap. With tanh on every set,
     * friedman1 (800 rows) ran 7 trials in its budget where relu alone ran 135, and fell below scikit-learn's score
     * (the tenth session's run, whose code was lost; bench/NOTES.md, the eleventh session's auto6 section).
     */
    static final int TANH_MAX_ROWS = 200;

    /**
     * The most rows in an auto search's mini-batch: scikit-learn's MLP default {@code batch_size=min(200, n_samples)},
     * the estimator the auto mode is compared with. Not the service's min(32, rows) (Keras' default): a trial's time
     * goes mostly into the per-batch work (the forward and backward pass set-up and the optimizer's update of every
     * weight), so 200-row batches make an epoch 1.3–4× cheaper (bench/NOTES.md); the fewer steps per epoch that costs
     * are made up by the higher learning rates of the space, as scikit-learn's searches do. Its largest effect is on
     * the first trial, the default network at adam's 0.001, which at 32-row batches ran 131 epochs on friedman1 and
     * was the most expensive trial of the search.
     */
    static final int MAX_BATCH_SIZE = 200;

    private static final int[] WIDTHS = {32, 64, 100, 128, 256};
    private static final int[] TWO_LAYER_WIDTHS = {64, 128};

    private AutoSearch() {
    }

    /**
     * The search an auto request stands for, with each choice explained in {@code defaults}; problems go to
     * {@code errors}.
     */
    static SearchSpec choose(SearchSpec asked, ResolvedTrainingJob base, int trialLimit, Map<String, String> defaults,
                             List<FieldError> errors) {
        if (asked.maxRuntimeSeconds() == null) {
            errors.add(new FieldError("search.maxRuntimeSeconds", "is required for auto: the time budget it spends, refit included"));
        }
        if (asked.space() != null) {
            errors.add(new FieldError("search.space", "auto chooses its own space; send bayesian_search to search a space of yours"));
        }
        if (asked.strategy() != null) {
            errors.add(new FieldError("search.strategy", "auto chooses its own strategy (median stopping)"));
        }
        String activation = activation(base);
        double l2Scale = l2Scale(base.spec().training().batchSize());
        boolean tanh = triesTanh(base);
        Map<String, Object> space = new LinkedHashMap<>();
        space.put("hiddenLayers", layerChoices(activation));
        if (tanh) {
            // after hiddenLayers: a trial's values apply in the space's order, so this sets every layer's activation
            space.put("activation", List.of(activation, "tanh"));
        }
        space.put("learningRate", Map.of("distribution", "loguniform", "min", RATE_MIN, "max", RATE_MAX));
        space.put("l2", Map.of("distribution", "loguniform", "min", L2_MIN * l2Scale, "max", L2_MAX * l2Scale));
        defaults.put("search.space", "widths 32–256 in one layer, 64 or 128 in two (" + (tanh ? activation + " or tanh: at most "
                + TANH_MAX_ROWS + " training rows and no network named, so trials are cheap and a smooth unit may suit a small "
                + "network" : activation) + "), learningRate loguniform 1e-4..1e-1 (a small data set has few batches per "
                + "epoch, so its trials need the higher rates), l2 loguniform " + L2_MIN * l2Scale + ".." + L2_MAX * l2Scale
                + " (1e-6..1e-2 times " + L2_RANGE_BATCH + " / batch rows: scikit-learn's alpha 4e-4..4 at this batch): "
                + "around the defaults, on principle, not fitted to any data");
        defaults.put("search.firstTrial", "the default network (100 " + activation + " units, l2 " + L2_MIN * l2Scale + ") at learningRate "
                + firstLearningRate(base) + ": adam's 0.001 times the batches an epoch loses at this batch against the service's "
                + "default of " + SERVICE_BATCH_SIZE + " rows (the linear scaling rule), so that it learns per epoch as the default "
                + "network does: the search starts from a model known to be good");
        defaults.put("search.type", "bayesian (TPE): it found better trials than random search on every set of the search "
                + "benchmark; its first trials are random");
        defaults.put("search.medianStopping", "true: a trial worse than the median of the finished ones at the same epoch "
                + "stops, freeing its worker");
        defaults.put("search.maxRuntimeSeconds", "trials start while they can end within " + Math.round(TRIALS_SHARE * 100)
                + "% of the budget, re-scores within " + Math.round(Rescore.SHARE * 100) + "%; the refit trains in the rest and "
                + "keeps its best epoch if the budget ends first");
        defaults.put("search.rescore", "with folds, the " + Rescore.CANDIDATES + " best trials are scored again on a second, "
                + "differently seeded split into as many folds, then on further splits while a whole round of them ends in time, "
                + "up to " + Rescore.MAX_SPLITS + " splits (repeated cross-validation: a small data set, cheap to train, gets "
                + "more repeats), and the best mean over every split wins: one split's first-ranked of hundreds of trials is "
                + "partly the one its folds happened to suit (the winner's curse); a re-score that would not end in time is "
                + "skipped, a round some trial missed does not count, and without the first-ranked and another on the second "
                + "split the first ranking stands (the results' chosenBy says which chose); of the re-scored, the one of the "
                + "largest l2 within one standard error of the best mean is kept (the one-standard-error rule: means closer "
                + "than their own noise are not told apart, and the most regularised is the least fitted to it)");
        defaults.put("search.refit", ENSEMBLE_MEMBERS + " networks of the best parameters from seeds seed..seed+"
                + (ENSEMBLE_MEMBERS - 1) + ", each on every row " + switch (Refit.ruleOf(base)) {
                    case EPOCHS -> "for the trials' epochs (they do not stop early)";
                    default -> "until its training loss settles, never fewer epochs than the best trial's best (as "
                            + "RandomizedSearchCV(refit=True) trains on every row)";
                } + ", merged into one network whose output is the mean of theirs (a deep ensemble)");
        Integer folds = asked.folds();
        if (folds == null && base.data().validationRows() == 0) {
            folds = FOLDS;
            defaults.put("search.folds", FOLDS + ": no rows are held out; the fewest folds that give a spread, so that the "
                    + "budget buys more trials");
        }
        Integer maxTrials = asked.maxTrials();
        if (maxTrials == null) {
            maxTrials = trialLimit;
            defaults.put("search.maxTrials", trialLimit + " (backprop.limits.max-trials, the service's limit, as a safety net): the "
                    + "budget ends the search, or " + STALL_TRIALS + " trials trained in full in a row without a better score, whichever "
                    + "comes first");
        }
        return new SearchSpec(asked.type(), space, asked.metric(), asked.mode(), maxTrials, asked.maxRuntimeSeconds(),
                asked.parallelism(), asked.seed(), folds, asked.refit(), asked.maxConsecutiveFailures(), true,
                asked.medianStoppingMinEpochs(), asked.medianStoppingMinTrials(), null, null);
    }

    /** The batch size of an auto search's trials and refit, min({@value #MAX_BATCH_SIZE}, training rows); null when the request chose one. */
    static Integer batchSize(ResolvedTrainingJob base) {
        if (!base.defaults().containsKey("training.batchSize")) {
            return null;
        }
        return (int) Math.max(1, Math.min(MAX_BATCH_SIZE, base.data().trainingRows()));
    }

    /** Why an auto search trains in batches of {@code batchSize}. */
    static String batchSizeReason(int batchSize) {
        return batchSize + ": min(" + MAX_BATCH_SIZE + ", training rows), scikit-learn's MLP default, as auto searches: fewer, "
                + "larger batches make an epoch cheaper, so the budget buys more trials (a cross-validation fold of fewer rows "
                + "trains in one batch)";
    }

    /**
     * The first trial's point: the default network of the space's activation at adam's default rate scaled to the
     * batch ({@link #firstLearningRate}), the least L2.
     */
    static Map<String, Object> firstTrial(ResolvedTrainingJob resolved) {
        Map<String, Object> point = new LinkedHashMap<>();
        String activation = activation(resolved);
        point.put("hiddenLayers", layers(activation, 100));
        if (resolved.search() != null && resolved.search().space() != null && resolved.search().space().containsKey("activation")) {
            point.put("activation", activation);
        }
        point.put("learningRate", firstLearningRate(resolved));
        point.put("l2", L2_MIN * l2Scale(resolved.spec().training().batchSize()));
        return point;
    }

    /**
     * What the L2 range is multiplied by at {@code batchSize}: {@value #L2_RANGE_BATCH} / batch rows, so that the range
     * is scikit-learn's {@code alpha} range at any batch. scikit-learn's MLP adds {@code alpha / (2 n) ‖W‖²} to the mean
     * loss of a batch of {@code n} rows; Backprop adds {@code l2 ‖W‖²} whatever the batch, so one {@code alpha} is
     * {@code l2 = alpha / (2 n)}: 1e-6..1e-2 is alpha 4e-4..4 at 200-row batches, and at iris's 120 rows (one batch) it
     * would be alpha 2.4e-4..2.4, too weak a top end for a small data set, where strong L2 matters most.
     */
    static double l2Scale(int batchSize) {
        return L2_RANGE_BATCH / (double) Math.max(1, batchSize);
    }

    /**
     * Whether the space offers tanh beside the base activation: when the request named no network and the data have
     * at most {@value #TANH_MAX_ROWS} training rows ({@link #TANH_MAX_ROWS} says why).
     */
    static boolean triesTanh(ResolvedTrainingJob base) {
        return base.defaults().containsKey("network.hiddenLayers") && base.data().trainingRows() <= TANH_MAX_ROWS
                && !"tanh".equals(activation(base));
    }

    /** {@link #firstLearningRate(long, int)} of a resolved search's training rows and batch. */
    static double firstLearningRate(ResolvedTrainingJob resolved) {
        return firstLearningRate(resolved.data().trainingRows(), resolved.spec().training().batchSize());
    }

    /**
     * The first trial's learning rate: adam's default 0.001, which the default network was made good with at the
     * service's {@value #SERVICE_BATCH_SIZE}-row batches, times the mini-batches an epoch loses at {@code batchSize} (the
     * linear scaling rule of Goyal et al. 2017, "Accurate, large minibatch SGD": k times the batch, k times the rate),
     * so that the default network moves as far an epoch with its fewer, larger steps, within the space's rates; never
     * below 0.001. Without it, the default network at {@link #MAX_BATCH_SIZE}-row batches makes up to 6.25 times fewer
     * steps in its epochs, and on a small data set one step an epoch: 200 adam steps of 0.001 leave it short of
     * converged, and with a budget of a few trials it is the trial the search keeps (bench/NOTES.md, iris).
     */
    static double firstLearningRate(long trainingRows, int batchSize) {
        long rows = Math.max(1, trainingRows);
        long stepsAtDefault = (rows + SERVICE_BATCH_SIZE - 1) / SERVICE_BATCH_SIZE;
        long steps = (rows + batchSize - 1) / Math.max(1, batchSize);
        return Math.min(RATE_MAX, DEFAULT_LEARNING_RATE * Math.max(1.0, stepsAtDefault / (double) steps));
    }

    /** When the trials must end: the budget's trial share after {@code start}. */
    static Instant trialsDeadline(Instant start, Duration budget) {
        return start.plus(share(budget, TRIALS_SHARE));
    }

    /** {@code share} of {@code budget}, to the microsecond. */
    static Duration share(Duration budget, double share) {
        return Duration.ofNanos(Math.round(budget.toNanos() * share / 1000) * 1000);
    }

    private static String activation(ResolvedTrainingJob base) {
        List<HiddenLayerConfig> layers = base.spec().network().hiddenLayers();
        return layers == null || layers.isEmpty() || layers.get(0).activation() == null ? "relu" : layers.get(0).activation();
    }

    private static List<Object> layerChoices(String activation) {
        List<Object> choices = new ArrayList<>();
        for (int width : WIDTHS) {
            choices.add(layers(activation, width));
        }
        for (int width : TWO_LAYER_WIDTHS) {
            choices.add(layers(activation, width, width));
        }
        return choices;
    }

    private static List<Map<String, Object>> layers(String activation, int... widths) {
        List<Map<String, Object>> layers = new ArrayList<>();
        for (int width : widths) {
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("units", width);
            layer.put("activation", activation);
            layers.add(layer);
        }
        return layers;
    }
}
