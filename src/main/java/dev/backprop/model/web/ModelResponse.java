package dev.backprop.model.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backprop.model.FinalMetrics;
import dev.backprop.model.ModelDocument;
import dev.backprop.model.ModelProvenance;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A trained model: its input schema, architecture, preprocessing, classes, metrics and provenance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelResponse(UUID id,
                            @Schema(description = "The training request's name; absent when it had none") String name,
                            @Schema(description = "The training request's tags") List<String> tags,
                            UUID jobId, Instant createdAt, int formatVersion, String task,
                            ModelDocument.InputSchema inputSchema, List<Object> labels, ModelDocument.Architecture network,
                            ModelDocument.Preprocessing preprocessing, List<ModelDocument.PipelineStep> pipeline,
                            FinalMetrics metrics,
                            @Schema(description = "How the model was made: the job type (and a search's best trial "
                                    + "parameters), the training request with every default filled in, the seed, the data "
                                    + "set (null for rows sent with the job), training and total rows, and the Backprop "
                                    + "version; absent for models stored before format 3")
                            ModelProvenance provenance) {

    static ModelResponse of(ModelDocument document) {
        ModelProvenance provenance = document.provenance();
        return new ModelResponse(document.id(), provenance == null ? null : provenance.modelName(),
                provenance == null ? List.of() : provenance.modelTags(), document.jobId(), document.createdAt(), document.formatVersion(), document.task(),
                document.inputSchema(), document.labels(), document.network(), document.preprocessing(), document.pipeline(),
                document.metrics(), document.provenance());
    }
}
