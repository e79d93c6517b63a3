package dev.backprop.model.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backprop.model.FinalMetrics;
import dev.backprop.model.ModelDocument;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A trained model: its input schema, architecture, preprocessing, classes and metrics. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelResponse(UUID id, UUID jobId, Instant createdAt, int formatVersion, String task,
                            ModelDocument.InputSchema inputSchema, List<Object> labels, ModelDocument.Architecture network,
                            ModelDocument.Preprocessing preprocessing, List<ModelDocument.PipelineStep> pipeline,
                            FinalMetrics metrics) {

    static ModelResponse of(ModelDocument document) {
        return new ModelResponse(document.id(), document.jobId(), document.createdAt(), document.formatVersion(), document.task(),
                document.inputSchema(), document.labels(), document.network(), document.preprocessing(), document.pipeline(), document.metrics());
    }
}
