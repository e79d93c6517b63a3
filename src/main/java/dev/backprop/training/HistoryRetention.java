package dev.backprop.training;

import dev.backprop.platform.BackpropProperties;
import dev.backprop.security.Quota;
import dev.backprop.security.Quotas;
import org.springframework.stereotype.Component;

/** How much epoch history a training run stores ({@code backprop.history}), and the quota check before one is accepted. */
@Component
public class HistoryRetention {

    private final BackpropProperties.History settings;
    private final Quotas quotas;

    HistoryRetention(BackpropProperties properties, Quotas quotas) {
        this.settings = properties.history();
        this.quotas = quotas;
    }

    /** The thinning of a run of {@code epochs} epochs. */
    HistoryThinning thinning(int epochs) {
        return new HistoryThinning(settings.exactEpochs(), settings.thinnedEpochs(), epochs);
    }

    /**
     * Checks that the tenant and the service have room for the most history this training job can store; a running
     * job is never stopped for its history, so its room is checked before it is accepted.
     *
     * @throws dev.backprop.platform.ApiException 429 naming the {@code history-epochs} quota, its limit and its usage
     */
    public void requireRoomFor(ResolvedTrainingJob job) {
        quotas.require(Quota.HISTORY_EPOCHS, thinning(job.epochsTotal()).maxStored());
    }
}
