package dev.backprop.job;

import dev.backprop.platform.BackpropProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Delivers job events to live followers on this replica, off the thread that publishes them.
 *
 * <p>Publishing only appends to the job's ring of its last {@code bufferSize} events; every
 * {@code dispatchInterval} the followers with events to get are handed to dispatcher threads, so a
 * training thread never waits on a client, nor wakes a thread for it: a follower whose
 * socket is full blocks one dispatcher thread, never the job. A follower that falls more than the ring
 * behind skips to the oldest event still held and is told how many it missed (a {@code skipped} event
 * naming the last event id it got, from which {@code Last-Event-ID} resumes out of the stored history).
 * The ring also holds the events not yet written to the database, which a late follower gets after the
 * stored history. Events with ids reach a follower in growing id order, each once: one whose id is not past the last
 * it got is dropped.
 *
 * <p>A follower of a job this replica does not run (it runs on another replica, or waits in the queue) hears nothing
 * published here but transient events; its subscription, when started with a reader of the stored events, polls them
 * every {@code pollInterval} on a dispatcher thread, from the last id it got, with the job's status, until the job
 * ends or this replica takes it up.
 */
@Component
public class JobEvents implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);

    /** Receives a follower's events on a dispatcher thread; throws when its client is gone. */
    @FunctionalInterface
    public interface Follower {
        void accept(JobEvent event);

        /** Called once when delivery ends: after the terminal event, or when the follower failed. */
        default void end() {
        }
    }

    /** What a follower that fell behind missed: {@code events} events after {@code lastEventId}. */
    public record Skipped(long events, long lastEventId) {
    }

    private final Map<UUID, Stream> streams = new ConcurrentHashMap<>();
    private final Queue<Subscription> ended = new ConcurrentLinkedQueue<>();
    private final int bufferSize;
    private final ThreadPoolExecutor dispatchers;
    private final ScheduledExecutorService ticker;
    private final long pollNanos;

    JobEvents(BackpropProperties properties) {
        this.bufferSize = properties.events().bufferSize();
        this.pollNanos = properties.events().pollInterval().toNanos();
        int threads = properties.events().dispatchers();
        AtomicInteger counter = new AtomicInteger();
        // Threads of their own, not the training executor's: a dispatcher may block in a write to a slow socket.
        dispatchers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "job-events-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        dispatchers.allowCoreThreadTimeOut(true);
        // Publishers wake nobody: a wake-up per event cost the training thread a futex call and, on a loaded
        // machine, waits for the dispatchers' queue lock. A tick hands waiting followers over instead.
        ticker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "job-events-tick");
            thread.setDaemon(true);
            return thread;
        });
        long tick = properties.events().dispatchInterval().toMillis();
        ticker.scheduleWithFixedDelay(this::dispatchQuietly, tick, tick, TimeUnit.MILLISECONDS);
    }

    private void dispatchQuietly() {
        try {
            dispatch();
        } catch (RuntimeException e) {
            // an exception out of a scheduled task would end the ticks for good
            log.warn("Dispatching job events failed", e);
        }
    }

    /** Follows a job's events from now on; close the returned subscription to stop. */
    public Subscription follow(UUID jobId, Follower follower) {
        Subscription subscription = subscribe(jobId, follower);
        subscription.start(List::of);
        return subscription;
    }

    /**
     * Subscribes to a job's events without delivering any yet; {@link Subscription#start} hands over what
     * to send first, read from storage on the dispatcher thread. The events in the ring when this was called
     * and after, those not yet stored among them, follow, except those whose ids the stored ones reached.
     */
    public Subscription subscribe(UUID jobId, Follower follower) {
        Stream stream = streams.computeIfAbsent(jobId, id -> new Stream());
        Subscription subscription = new Subscription(jobId, stream, follower);
        subscription.next = stream.oldest();
        stream.subscriptions.add(subscription);
        return subscription;
    }

    /** Publishes an event of a job this replica runs, kept in its ring for followers to come. */
    void publish(UUID jobId, JobEvent event) {
        publish(jobId, event, !event.isTerminal());
    }

    /**
     * Tells a job's current followers on this replica, if any, of an event without keeping it: a cancel of a job
     * that may run elsewhere, or a trial this replica runs for a search coordinated elsewhere.
     */
    public void tellFollowers(UUID jobId, JobEvent event) {
        publish(jobId, event, false);
    }

    private void publish(UUID jobId, JobEvent event, boolean keep) {
        Stream stream = keep ? streams.computeIfAbsent(jobId, id -> new Stream()) : streams.get(jobId);
        if (stream == null) {
            return;
        }
        if (keep) {
            stream.local = true;  // the job runs here: what it publishes needs no polling
        }
        synchronized (stream) {
            stream.append(event);
            if (event.isTerminal()) {
                // Later followers read the ended job from the database; those still here get the terminal event.
                streams.remove(jobId, stream);
                ended.addAll(stream.subscriptions);
            }
        }
    }

    /** Hands every follower with undelivered events that is not being served to a dispatcher. */
    private void dispatch() {
        long now = System.nanoTime();
        for (Stream stream : streams.values()) {
            for (Subscription subscription : stream.subscriptions) {
                if (!stream.local) {
                    subscription.pollIfDue(now);
                }
                if (subscription.hasMore()) {
                    subscription.schedule();
                }
            }
        }
        for (Subscription subscription : ended) {
            ended.remove(subscription);
            if (subscription.hasMore()) {
                subscription.schedule();
            }
        }
    }

    /** Forgets a job's ring when it stops on this replica without an ending (abandoned to another runner). */
    void forget(UUID jobId) {
        Stream stream = streams.get(jobId);
        if (stream != null) {
            // its followers here learn what happens next from the database
            stream.local = false;
            if (stream.subscriptions.isEmpty()) {
                streams.remove(jobId, stream);
            }
        }
    }

    @Override
    public void destroy() {
        ticker.shutdownNow();
        dispatchers.shutdownNow();
    }

    /**
     * The last events of one job, numbered in the order they were published here. Publishers append under the
     * stream's lock; followers read without it, so that a dispatcher descheduled while it reads never holds up
     * a training thread, and check afterwards which of the slots they read may have been overwritten meanwhile.
     */
    private final class Stream {
        private final AtomicReferenceArray<JobEvent> ring = new AtomicReferenceArray<>(bufferSize);
        private volatile long published;
        /** Whether the job runs on this replica, which publishes its events here as they happen. */
        private volatile boolean local;
        private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

        long oldest() {
            return Math.max(0, published - bufferSize);
        }

        JobEvent at(long sequence) {
            return ring.get((int) (sequence % bufferSize));
        }

        JobEvent last() {
            long count = published;
            return count == 0 ? null : at(count - 1);
        }

        void append(JobEvent event) {
            ring.set((int) (published % bufferSize), event);
            published = published + 1;  // only under the stream's lock: one writer at a time
        }
    }

    /** One follower's place in a job's stream. */
    public final class Subscription implements AutoCloseable {
        private final UUID jobId;
        private final Stream stream;
        private final Follower follower;
        private final AtomicBoolean scheduled = new AtomicBoolean(true);
        private volatile boolean closed;
        private volatile Supplier<List<JobEvent>> stored;
        /** Reads the stored events after an id, with the job's status; null when this follower does not poll. */
        private volatile LongFunction<List<JobEvent>> storedAfter;
        private volatile boolean pollWanted;
        private volatile long nextPoll = System.nanoTime();
        private long next;
        private long lastEventId;
        /** The last status the follower got, so that a poll tells only a change. */
        private Object lastStatus;

        private Subscription(UUID jobId, Stream stream, Follower follower) {
            this.jobId = jobId;
            this.stream = stream;
            this.follower = follower;
        }

        /**
         * Starts delivery, off the calling thread: first the events {@code stored} reads (the job's state and
         * its stored history), then the live ones whose ids are past theirs.
         */
        public void start(Supplier<List<JobEvent>> stored) {
            this.stored = stored;
            scheduled.set(false);
            schedule();
        }

        /**
         * Starts delivery as {@link #start(Supplier)} does with the events {@code storedAfter} reads after
         * {@code afterId}, and polls it from the last id delivered while the job runs elsewhere.
         *
         * @param storedAfter the job's stored events with ids past its argument, in id order, then its status
         */
        public void start(long afterId, LongFunction<List<JobEvent>> storedAfter) {
            this.storedAfter = storedAfter;
            start(() -> storedAfter.apply(afterId));
        }

        /** Asks a dispatcher for a poll of the stored events once a poll interval has passed since the last. */
        private void pollIfDue(long now) {
            if (storedAfter != null && stored == null && now - nextPoll >= 0) {
                nextPoll = now + pollNanos;
                pollWanted = true;
            }
        }

        private void schedule() {
            if (!closed && scheduled.compareAndSet(false, true)) {
                try {
                    dispatchers.execute(this::drain);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    close();
                }
            }
        }

        private void drain() {
            if (stored != null && !replay()) {
                return;
            }
            while (!closed) {
                if (pollWanted && !poll()) {
                    return;
                }
                List<JobEvent> batch = take();
                if (batch.isEmpty()) {
                    scheduled.set(false);
                    // an event published between take() and the flag's reset found the flag set and left it to us
                    if (hasMore() && scheduled.compareAndSet(false, true)) {
                        continue;
                    }
                    return;
                }
                if (!deliver(batch)) {
                    return;
                }
            }
        }

        private boolean replay() {
            // what was published before the read began is in the ring before this mark
            long mark = stream.published;
            List<JobEvent> events;
            try {
                events = stored.get();
            } catch (RuntimeException e) {
                log.warn("Could not read the stored events of job {}: {}", jobId, e.toString());
                end();
                return false;
            }
            stored = null;
            nextPoll = System.nanoTime() + pollNanos;
            skipReplayed(mark, events.stream().mapToLong(JobEvent::id).max().orElse(0));
            return deliver(events);
        }

        /**
         * Moves this follower's place in the ring past the last event published before {@code mark} that the replay
         * holds (its id at most {@code replayedThrough}): what came before it, a trial's start or an old status
         * included, is older than the replay, which says the current state. Later events stay, those the replay holds
         * dropped by their ids.
         */
        private void skipReplayed(long mark, long replayedThrough) {
            for (long sequence = mark - 1; sequence >= Math.max(next, stream.published - bufferSize); sequence--) {
                JobEvent event = stream.at(sequence);
                if (event != null && event.id() > 0 && event.id() <= replayedThrough) {
                    next = sequence + 1;
                    return;
                }
            }
        }

        /** Delivers what was stored since the last event delivered and a change of status; false once ended. */
        private boolean poll() {
            pollWanted = false;
            List<JobEvent> events;
            try {
                events = storedAfter.apply(lastEventId);
            } catch (RuntimeException e) {
                // the database may be away: the next poll tries again
                log.debug("Could not poll the stored events of job {}: {}", jobId, e.toString());
                return true;
            }
            return deliver(events.stream().filter(e -> !(e.payload() instanceof JobEvent.StatusChange)
                    || !e.payload().equals(lastStatus)).toList());
        }

        /** Delivers events in order; false once the subscription has ended. */
        private boolean deliver(List<JobEvent> batch) {
            for (JobEvent event : batch) {
                if (event.id() > 0) {
                    if (event.id() <= lastEventId) {
                        continue;
                    }
                    lastEventId = event.id();
                }
                if (event.payload() instanceof JobEvent.StatusChange) {
                    lastStatus = event.payload();
                }
                try {
                    follower.accept(event);
                } catch (RuntimeException e) {
                    log.debug("Dropping a follower of job {}: {}", jobId, e.toString());
                    end();
                    return false;
                }
                if (event.isTerminal()) {
                    end();
                    return false;
                }
            }
            return true;
        }

        private void end() {
            close();
            try {
                follower.end();
            } catch (RuntimeException e) {
                log.debug("Ending a follower of job {}: {}", jobId, e.toString());
            }
        }

        private boolean hasMore() {
            return next < stream.published || pollWanted;
        }

        private List<JobEvent> take() {
            long end = stream.published;
            long from = Math.max(next, end - bufferSize);
            List<JobEvent> read = new ArrayList<>((int) Math.max(0, end - from));
            for (long sequence = from; sequence < end; sequence++) {
                read.add(stream.at(sequence));
            }
            // slots before this one may have been overwritten by publishers while they were read
            long kept = Math.max(from, stream.published - bufferSize);
            List<JobEvent> batch = new ArrayList<>(read.size() + 1);
            if (kept > next && kept < end) {
                // ids grow with the history: when the oldest kept one follows the last one delivered, nothing was lost
                long oldestId = read.get((int) (kept - from)).id();
                if (oldestId <= 0 || oldestId > lastEventId + 1) {
                    batch.add(new JobEvent("skipped", new Skipped(kept - next, lastEventId)));
                }
            } else if (kept > next) {
                batch.add(new JobEvent("skipped", new Skipped(kept - next, lastEventId)));
            }
            next = Math.max(next, kept);
            for (long sequence = kept; sequence < end; sequence++) {
                batch.add(read.get((int) (sequence - from)));
            }
            next = Math.max(next, end);
            return batch;
        }

        @Override
        public void close() {
            closed = true;
            stream.subscriptions.remove(this);
            JobEvent last = stream.last();
            // a running job keeps its ring for later followers; an ended one, or one that runs elsewhere, needs none
            if (stream.subscriptions.isEmpty() && (!stream.local || last == null || last.isTerminal())) {
                streams.remove(jobId, stream);
            }
        }
    }
}
