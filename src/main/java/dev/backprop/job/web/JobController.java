package dev.backprop.job.web;

import dev.backprop.platform.web.ProblemResponse;
import dev.backprop.job.Job;
import dev.backprop.job.JobEvent;
import dev.backprop.job.JobEvents;
import dev.backprop.job.JobService;
import dev.backprop.job.JobStatus;
import dev.backprop.job.JobType;
import dev.backprop.platform.ApiException;
import dev.backprop.security.Caller;
import dev.backprop.search.SearchReports;
import dev.backprop.search.SearchResolver;
import dev.backprop.training.HistoryRetention;
import dev.backprop.training.JobSpecResolver;
import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.SearchSpec;
import dev.backprop.training.TrainingData;
import dev.backprop.training.TrainingJobSpec;
import dev.backprop.training.TrainingReports;
import dev.backprop.platform.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Training jobs: submit, follow, read metrics, cancel, forget. */
@RestController
@RequestMapping(path = "/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Jobs", description = "Train networks asynchronously and read their loss history and metrics")
@ApiResponse(responseCode = "400", description = "Invalid request: the problem lists every field at fault",
        content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
class JobController {

    private static final Duration EVENTS_TIMEOUT = Duration.ofMinutes(30);
    /** The stream's {@code retry} field: how soon a client whose stream broke reconnects (about one poll interval). */
    private static final Duration RECONNECT_AFTER = Duration.ofSeconds(1);
    /** The type filter's name for every search type at once. */
    private static final String SEARCH_TYPES = "search";

    private final JobService jobs;
    private final TrainingJobMapper mapper;
    private final JobSpecResolver resolver;
    private final SearchResolver searches;
    private final TrainingReports trainingReports;
    private final SearchReports searchReports;
    private final Clock clock;
    private final HistoryRetention history;

    JobController(JobService jobs, TrainingJobMapper mapper, JobSpecResolver resolver, SearchResolver searches,
                  TrainingReports trainingReports, SearchReports searchReports, Clock clock, HistoryRetention history) {
        this.history = history;
        this.jobs = jobs;
        this.mapper = mapper;
        this.resolver = resolver;
        this.searches = searches;
        this.trainingReports = trainingReports;
        this.searchReports = searchReports;
        this.clock = clock;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "submitJob", summary = "Submit a training job or a hyperparameter search",
            description = "Validates the request, stores a QUEUED job and answers 202 with its Location. With ?dryRun=true, "
                    + "answers 200 with the request and every default filled in, storing and running nothing. A grid_search or "
                    + "random_search adds a search block; its trials run in parallel and GET /jobs/{id}/metrics ranks them.")
    @ApiResponse(responseCode = "202", description = "Stored and queued",
            content = @Content(schema = @Schema(implementation = JobResponse.class)))
    @ApiResponse(responseCode = "200", description = "Dry run: the resolved request",
            content = @Content(schema = @Schema(implementation = DryRunResponse.class)))
    @ApiResponse(responseCode = "413", description = "Body over the size limit", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    @ApiResponse(responseCode = "429", description = "At capacity or a quota (jobs, models, history epochs; tenant or service); "
            + "nothing stored; see Retry-After when it passes by itself", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    ResponseEntity<Object> submit(@Valid @RequestBody TrainingJobRequest request,
                                  @Parameter(description = "Validate and echo the request with defaults, without running it")
                                  @RequestParam(defaultValue = "false") boolean dryRun) {
        TrainingJobSpec spec = mapper.spec(request);
        SearchSpec search = mapper.search(request);
        TrainingData data = mapper.data(request.data());
        // A 400 names every field at fault before anything is stored.
        ResolvedTrainingJob resolved = search == null ? resolver.resolve(spec, data) : searches.resolve(spec, search, data);
        if (dryRun) {
            return ResponseEntity.ok(DryRunResponse.of(resolved));
        }
        if (search == null) {
            history.requireRoomFor(resolved);  // a search stores no epoch history of its own
        }
        Job job = jobs.submit(resolved, data);
        return ResponseEntity.accepted().location(URI.create("/jobs/" + job.id())).body(response(job));
    }

    private JobResponse response(Job job) {
        Instant now = clock.instant();
        return JobResponse.of(job, now, searchReports.etaSeconds(job, now), trainingReports.outcomeWarnings(job),
                searchReports.runningTrials(job, now));
    }

    @GetMapping
    @Operation(operationId = "listJobs", summary = "List jobs, newest first, optionally filtered by status and by type")
    @ApiResponse(responseCode = "200", description = "A page of jobs", useReturnTypeSchema = true)
    PageResponse<JobResponse> list(@RequestParam(required = false) List<String> status,
                                   @Parameter(description = "Job types to list: training, grid_search, random_search, "
                                           + "bayesian_search, auto, or search for every kind of search; repeat or "
                                           + "comma-separate for several")
                                   @RequestParam(required = false) List<String> type,
                                   @RequestParam(defaultValue = "0") @Min(0) int page,
                                   @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        List<JobStatus> statuses = new ArrayList<>();
        for (String name : status == null ? List.<String>of() : status) {
            try {
                statuses.add(JobStatus.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("status", "unknown status '" + name + "'; expected one of "
                        + List.of(JobStatus.values()));
            }
        }
        Set<JobType> types = types(type);
        List<JobResponse> items = jobs.list(statuses, types, page, size).stream().map(j -> response(j)).toList();
        return new PageResponse<>(items, page, size, jobs.count(statuses, types));
    }

    /** The job types a list names, by the wire names of JobResponse.type, "search" standing for every search type. */
    private static Set<JobType> types(List<String> names) {
        Set<JobType> types = EnumSet.noneOf(JobType.class);
        for (String name : names == null ? List.<String>of() : names) {
            String wire = name.trim().toLowerCase(Locale.ROOT);
            if (wire.equals(SEARCH_TYPES)) {
                Arrays.stream(JobType.values()).filter(JobType::isSearch).forEach(types::add);
                continue;
            }
            JobType match = Arrays.stream(JobType.values()).filter(t -> t.name().toLowerCase(Locale.ROOT).equals(wire))
                    .findFirst().orElseThrow(() -> ApiException.invalid("type", "unknown type '" + name + "'; expected one of "
                            + Arrays.stream(JobType.values()).map(t -> t.name().toLowerCase(Locale.ROOT)).toList()
                            + " or " + SEARCH_TYPES));
            types.add(match);
        }
        return types;
    }

    @GetMapping("/{id}")
    @ApiResponse(responseCode = "200", description = "The job", useReturnTypeSchema = true)
    @Operation(operationId = "getJob", summary = "A job's status, progress (epochs or trials done of total, ETA), times, attempt, model and error",
            description = "progress.unit says what progress counts: epochs for a training job (also as progress.epoch of "
                    + "progress.epochs), trials for a search, whose ETA comes from its finished trials' fit times and "
                    + "excludes the refit; a search's trials block adds failed trials and the best score so far.")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    JobResponse get(@PathVariable UUID id) {
        return response(jobs.get(id));
    }

    @GetMapping("/{id}/metrics")
    @ApiResponse(responseCode = "200", description = "The history and metrics so far", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    @Operation(operationId = "getJobMetrics", summary = "Per-epoch loss and metric history, best epoch, stop reason and final metrics",
            description = "A training job's history grows while it runs; beyond 10,000 epochs (backprop.history) it holds "
                    + "every k-th epoch plus the last and the best (README, \"Limits on what is stored\"). A search has no "
                    + "history of its own, so history is "
                    + "absent: search.bestHistory is the best trial's (its first fold's, with cross-validation), next to the "
                    + "ranked trials, the best parameters and score; finalMetrics are the refit model's.")
    JobMetricsResponse metrics(@PathVariable UUID id) {
        Job job = jobs.get(id);
        return JobMetricsResponse.of(job, trainingReports.of(job), job.type().isSearch() ? searchReports.of(job) : null);
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(operationId = "streamJobEvents", summary = "Server-Sent Events: one per epoch and per status change, ending with the terminal status",
            description = "Starts with a retry field (reconnect after 1 s), then the stored events after Last-Event-ID (all of them without it) and the job's status, "
                    + "then the live ones. Events named epoch carry an epoch's loss and metrics as JSON, events named status a "
                    + "status change, events named trial a search's trial (index, status, params, score, error). An epoch "
                    + "event's id is its epoch; a finished trial's (SUCCEEDED or FAILED) is its place in the order the "
                    + "search's trials were stored, 1, 2, 3, … (a trial promoted to a higher halving rung takes the next "
                    + "one), so that Last-Event-ID resumes a search's trials too; a trial's STARTED event has no id (it is "
                    + "not stored). Events with ids come in growing id order, each once. A follower of a job running on "
                    + "another replica gets its stored events and status from the database, at most "
                    + "backprop.events.poll-interval (1 s) late. A follower that falls behind skips to the "
                    + "oldest event still buffered, told by a skipped event ({events, lastEventId}); reconnecting with that "
                    + "Last-Event-ID gets the rest from the stored history. Training never waits for a follower. "
                    + "The stream ends after the terminal status.")
    @ApiResponse(responseCode = "200", description = "The event stream", content = @Content(
            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    SseEmitter events(@PathVariable UUID id,
                      @Parameter(description = "Resume after this event id (an epoch of a training job, a trial's sequence of a search)")
                      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        long after = resumePoint(lastEventId);
        // Another tenant's job is a 404 here, on the request's thread, before anything is subscribed.
        jobs.get(id);
        SseEmitter emitter = new SseEmitter(EVENTS_TIMEOUT.toMillis());
        // Sent before anything is subscribed, so Spring MVC writes it, and commits the head, on this thread before the
        // handler returns. Otherwise a dispatcher's first event could commit the head while Spring Security's header
        // writer, on this thread leaving the filter chain, is still adding to it, and Tomcat would send a header
        // half-added (a line ": ", or no Expires): spring-security#15510, EventStreamHeadEndToEndTest.
        send(emitter, SseEmitter.event().reconnectTime(RECONNECT_AFTER.toMillis()));
        JobEvents.Subscription subscription = jobs.subscribe(id, new JobEvents.Follower() {
            @Override
            public void accept(JobEvent event) {
                send(emitter, event);
            }

            @Override
            public void end() {
                emitter.complete();
            }
        });
        emitter.onCompletion(subscription::close);
        emitter.onTimeout(subscription::close);
        emitter.onError(e -> subscription.close());
        // Subscribed first, then the history and state read: a follower may see a status twice, never miss the last one.
        // The history is read on a dispatcher thread, as the caller who asked for it, and polled from there while the job
        // runs on another replica.
        subscription.start(after, Caller.carrying(afterId -> jobs.storedEvents(id, afterId)));
        return emitter;
    }

    private static long resumePoint(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(lastEventId.trim()));
        } catch (NumberFormatException e) {
            throw ApiException.invalid("Last-Event-ID", "must be the id of an event of this stream (an epoch, or a trial's sequence)");
        }
    }

    private static void send(SseEmitter emitter, JobEvent event) {
        SseEmitter.SseEventBuilder builder = SseEmitter.event().name(event.name());
        if (event.id() > 0) {
            builder.id(Long.toString(event.id()));
        }
        send(emitter, builder.data(event.payload(), MediaType.APPLICATION_JSON));
    }

    private static void send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
        } catch (IOException | IllegalStateException e) {
            throw new IllegalStateException("event stream closed", e);
        }
    }

    @PostMapping("/{id}/cancel")
    @ApiResponse(responseCode = "200", description = "The job, CANCELLED or CANCEL_REQUESTED", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    @Operation(operationId = "cancelJob", summary = "Cancel a job: a queued one at once, a running one within one mini-batch; 409 once ended")
    @ApiResponse(responseCode = "409", description = "The job has ended", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    JobResponse cancel(@PathVariable UUID id) {
        return response(jobs.cancel(id));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @ApiResponse(responseCode = "204", description = "Forgotten")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    @ApiResponse(responseCode = "409", description = "The job is queued or running", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    @Operation(operationId = "deleteJob", summary = "Forget an ended job and its history (its model stays); 409 while it runs")
    void delete(@PathVariable UUID id) {
        jobs.delete(id);
    }
}
