package dev.backprop.job.web;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.backprop.job.Job;
import dev.backprop.job.JobService;
import dev.backprop.job.JobStateException;
import dev.backprop.job.JobStatus;
import dev.backprop.job.JobType;
import dev.backprop.job.JobTestFixtures;
import dev.backprop.search.SearchReports;
import dev.backprop.search.SearchResolver;
import dev.backprop.training.JobSpecResolver;
import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.TrainingData;
import dev.backprop.training.TrainingFixtures;
import dev.backprop.training.TrainingReports;
import dev.backprop.platform.ApiException;
import dev.backprop.platform.ClockConfiguration;
import dev.backprop.platform.JsonConfiguration;
import dev.backprop.platform.PropertiesConfiguration;
import dev.backprop.platform.ServiceFullException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The jobs controller alone: mapping, status codes, headers and problem bodies. */
@WebMvcTest({JobController.class, TrialController.class})
@Import({TrainingJobMapper.class, JsonConfiguration.class, ClockConfiguration.class, PropertiesConfiguration.class})
class JobControllerTest {

    private static final String XOR = "{\"data\": {\"columns\": [\"x1\", \"x2\", \"y\"], \"rows\": [[0,0,0],[0,1,1],[1,0,1],[1,1,0]], "
            + "\"targetColumn\": \"y\"}, \"network\": {\"hiddenLayers\": [{\"units\": 4, \"activation\": \"sigmoid\"}]}, "
            + "\"training\": {\"optimizer\": \"sgd\", \"learningRate\": 0.1}}";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    JobService jobs;

    @MockitoBean
    dev.backprop.dataset.DatasetService datasets;

    @MockitoBean
    JobSpecResolver resolver;

    @MockitoBean
    SearchResolver searches;

    @MockitoBean
    TrainingReports trainingReports;

    @MockitoBean
    SearchReports searchReports;

    @MockitoBean
    dev.backprop.training.HistoryRetention history;

    @Test
    void submitAnswers202WithLocationAndPassesTheMappedSpec() throws Exception {
        Job job = JobTestFixtures.queuedJob();
        ResolvedTrainingJob resolved = (ResolvedTrainingJob) job.spec();
        when(resolver.resolve(any(), any())).thenReturn(resolved);
        when(jobs.submit(any(), any())).thenReturn(job);
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(XOR))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/jobs/" + job.id()))
                .andExpect(jsonPath("$.status").value("QUEUED"))
                .andExpect(jsonPath("$.progress.fraction").value(0.0));
        verify(resolver).resolve(eq(TrainingFixtures.request(Map.of("network", TrainingFixtures.oneHiddenLayer(4, "sigmoid"),
                "training", Map.of("optimizer", "sgd", "learningRate", 0.1)))), any(TrainingData.class));
        verify(jobs).submit(eq(resolved), any(TrainingData.class));
    }

    @Test
    void dryRunDoesNotSubmit() throws Exception {
        when(resolver.resolve(any(), any())).thenReturn((ResolvedTrainingJob) JobTestFixtures.queuedJob().spec());
        mvc.perform(post("/jobs?dryRun=true").contentType(MediaType.APPLICATION_JSON).content(XOR))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid").value(true))
                .andExpect(jsonPath("$.parameterCount").value(2));
        verify(jobs, never()).submit(any(), any());
    }

    @Test
    void aFullServiceAnswers429WithRetryAfter() throws Exception {
        when(resolver.resolve(any(), any())).thenReturn((ResolvedTrainingJob) JobTestFixtures.queuedJob().spec());
        when(jobs.submit(any(), any())).thenThrow(new ServiceFullException("full", Duration.ofSeconds(12)));
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(XOR))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().string("Retry-After", "12"))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("https://backprop.dev/problems/service-full"));
    }

    @Test
    void strictJsonRejectsUnknownPropertiesAndCoercions() throws Exception {
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(XOR.replace("\"learningRate\": 0.1", "\"learningRate\": \"0.1\"")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("training.learningRate"));
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(XOR.replace("\"optimizer\"", "\"optimiser\"")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].message").value("unknown property 'optimiser'"));
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(XOR.replace("\"units\": 4", "\"units\": 4.5")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("network.hiddenLayers[0].units"));
        verify(jobs, never()).submit(any(), any());
    }

    @Test
    void beanValidationRejectsAMissingDataBlockAndABadType() throws Exception {
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"type\": \"grid\", \"data\": null}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("data"))
                .andExpect(jsonPath("$.errors[1].field").value("type"));
    }

    @Test
    void unknownJobsAre404AndEndedOnesConflict() throws Exception {
        UUID id = UUID.randomUUID();
        when(jobs.get(id)).thenThrow(ApiException.notFound("job", id));
        mvc.perform(get("/jobs/" + id)).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("job " + id + " does not exist"));
        when(jobs.cancel(id)).thenThrow(new JobStateException("job has already ended"));
        mvc.perform(post("/jobs/" + id + "/cancel")).andExpect(status().isConflict())
                .andExpect(jsonPath("$.title").value("Job is not in a state that allows this"));
        mvc.perform(delete("/jobs/" + UUID.randomUUID())).andExpect(status().isNoContent());
        mvc.perform(get("/jobs/not-a-uuid")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("id")));
    }

    @Test
    void listingValidatesStatusAndPaging() throws Exception {
        when(jobs.list(any(), any(), eq(0), eq(20))).thenReturn(List.of(JobTestFixtures.queuedJob()));
        when(jobs.count(any(), any())).thenReturn(1L);
        mvc.perform(get("/jobs?status=queued")).andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].status").value("QUEUED"))
                .andExpect(jsonPath("$.total").value(1));
        mvc.perform(get("/jobs?status=LOST")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("status"));
        mvc.perform(get("/jobs?size=1000")).andExpect(status().isBadRequest());
    }

    @Test
    void listingFiltersByTypeAndSearchStandsForEverySearchType() throws Exception {
        when(jobs.list(any(), any(), eq(0), eq(20))).thenReturn(List.of(JobTestFixtures.queuedJob()));
        when(jobs.count(any(), any())).thenReturn(1L);
        mvc.perform(get("/jobs?type=training")).andExpect(status().isOk());
        verify(jobs).list(List.of(), java.util.EnumSet.of(JobType.TRAINING), 0, 20);
        mvc.perform(get("/jobs?type=search")).andExpect(status().isOk());
        verify(jobs).list(List.of(), java.util.EnumSet.of(JobType.GRID_SEARCH, JobType.RANDOM_SEARCH, JobType.BAYESIAN_SEARCH,
                JobType.AUTO), 0, 20);
        mvc.perform(get("/jobs?type=training,GRID_SEARCH&status=running")).andExpect(status().isOk());
        verify(jobs).list(List.of(JobStatus.RUNNING), java.util.EnumSet.of(JobType.TRAINING, JobType.GRID_SEARCH), 0, 20);
        mvc.perform(get("/jobs?type=grid")).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("type"))
                .andExpect(jsonPath("$.errors[0].message", containsString("grid_search")));
    }

    @Test
    void aTrialHistoryIsReadThroughTheTenantsJobAndAMissingTrialIs404() throws Exception {
        dev.backprop.job.Job job = JobTestFixtures.queuedJob();
        when(jobs.get(job.id())).thenReturn(job);
        dev.backprop.search.TrialRecord trial = new dev.backprop.search.TrialRecord(2, java.util.Map.of("learningRate", 0.1),
                "SUCCEEDED", 0.75, 0.0, null, 12, null, 7, List.of(new dev.backprop.training.EpochRecord(1, 0.69, 0.7, 0.5, 0.5, 0.1, 3),
                new dev.backprop.training.EpochRecord(2, 0.6, 0.65, 0.75, 0.75, 0.1, 5)), 0.65, 17L, 2);
        when(searchReports.trialHistory(job, 2)).thenReturn(java.util.Optional.of(new SearchReports.TrialHistory(trial, "accuracy")));
        when(searchReports.trialHistory(job, 3)).thenReturn(java.util.Optional.empty());
        mvc.perform(get("/jobs/" + job.id() + "/trials/2/history")).andExpect(status().isOk())
                .andExpect(jsonPath("$.trial").value(2))
                .andExpect(jsonPath("$.metric").value("accuracy"))
                .andExpect(jsonPath("$.params.learningRate").value(0.1))
                .andExpect(jsonPath("$.history.length()").value(2))
                .andExpect(jsonPath("$.history[1].validationMetric").value(0.75));
        mvc.perform(get("/jobs/" + job.id() + "/trials/3/history")).andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("trial 3")));
        mvc.perform(get("/jobs/" + job.id() + "/trials/first/history")).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }
}
