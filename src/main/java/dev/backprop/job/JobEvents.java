package dev.backprop.job;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Delivers job events to live followers on this replica. A follower that throws is dropped, so a
 * gone client never slows training.
 */
@Component
public class JobEvents {

    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);

    private final Map<UUID, List<Consumer<JobEvent>>> followers = new ConcurrentHashMap<>();

    /** Follows a job's events; close the returned handle to stop. */
    public AutoCloseable follow(UUID jobId, Consumer<JobEvent> follower) {
        followers.computeIfAbsent(jobId, id -> new CopyOnWriteArrayList<>()).add(follower);
        return () -> unfollow(jobId, follower);
    }

    /** Tells this replica's followers of a job about an event. */
    public void publish(UUID jobId, JobEvent event) {
        List<Consumer<JobEvent>> list = followers.get(jobId);
        if (list == null) {
            return;
        }
        for (Consumer<JobEvent> follower : list) {
            try {
                follower.accept(event);
            } catch (RuntimeException e) {
                log.debug("Dropping a follower of job {}: {}", jobId, e.toString());
                unfollow(jobId, follower);
            }
        }
    }

    private void unfollow(UUID jobId, Consumer<JobEvent> follower) {
        followers.computeIfPresent(jobId, (id, list) -> {
            list.remove(follower);
            return list.isEmpty() ? null : list;
        });
    }
}
