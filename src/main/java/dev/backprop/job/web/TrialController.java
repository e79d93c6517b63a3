package dev.backprop.job.web;

import dev.backprop.job.Job;
import dev.backprop.job.JobService;
import dev.backprop.platform.ApiException;
import dev.backprop.platform.web.ProblemResponse;
import dev.backprop.search.SearchReports;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The trials of a search, one at a time: what GET /jobs/{id}/metrics ranks, with the history it leaves out. */
@RestController
@RequestMapping(path = "/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Jobs")
class TrialController {

    private final JobService jobs;
    private final SearchReports searchReports;

    TrialController(JobService jobs, SearchReports searchReports) {
        this.jobs = jobs;
        this.searchReports = searchReports;
    }

    @GetMapping("/{id}/trials/{trial}/history")
    @Operation(operationId = "getTrialHistory", summary = "One finished trial of a search with its per-epoch history",
            description = "Every finished trial keeps its run's history (its first fold's, with cross-validation), as "
                    + "search.bestHistory of GET /jobs/{id}/metrics keeps the best one's: trial is the index of "
                    + "search.trials[].index. A trial still running, or a job that is not a search, is a 404.")
    @ApiResponse(responseCode = "200", description = "The trial and its history", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No such job, or no finished trial of that index", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    @ApiResponse(responseCode = "400", description = "The trial index is not a whole number", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    TrialHistoryResponse history(@PathVariable UUID id,
                                 @Parameter(description = "The trial's index in the search, from 0") @PathVariable int trial) {
        // the job read is the tenant check: another tenant's search is a 404 before any trial is read
        Job job = jobs.get(id);
        SearchReports.TrialHistory found = searchReports.trialHistory(job, trial)
                .orElseThrow(() -> ApiException.notFound("trial " + trial + " of job", id));
        return TrialHistoryResponse.of(job.id(), found);
    }
}
