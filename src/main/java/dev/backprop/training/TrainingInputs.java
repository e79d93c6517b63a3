package dev.backprop.training;

import dev.backprop.dataset.DatasetService;
import dev.backprop.job.Job;
import dev.backprop.job.JobRepository;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** What a claimed job trains on: its stored spec, and its input with the rows of its data set. */
@Component
public class TrainingInputs {

    private final JobRepository jobs;
    private final DatasetService datasets;

    TrainingInputs(JobRepository jobs, DatasetService datasets) {
        this.jobs = jobs;
        this.datasets = datasets;
    }

    /** The resolved request of a training job or search. */
    public static ResolvedTrainingJob specOf(Job job) {
        return (ResolvedTrainingJob) job.spec();
    }

    /**
     * The data a job trains on, with the rows of its data set when it refers to one.
     *
     * @throws JobDataMissingException when that data set was deleted before the job ran
     */
    public TrainingData find(UUID jobId) {
        TrainingData data = (TrainingData) jobs.findInput(jobId);
        if (data.table() != null) {
            return data;  // inline data, or a job stored before jobs referred to their data sets
        }
        return new TrainingData(datasets.findTable(data.datasetId()).orElseThrow(() -> new JobDataMissingException(data.datasetId())),
                data.targetColumn(), data.featureColumns(), data.datasetId());
    }
}
