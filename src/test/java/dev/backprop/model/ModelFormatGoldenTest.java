package dev.backprop.model;

import static dev.backprop.Tolerances.EXACT;
import static dev.backprop.Tolerances.FLOAT32_ROUNDING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.nn.Precision;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A model written in any format (one file per format under {@code src/test/resources/models}) stays
 * loadable and predicts what it predicted when it was written: standardization, labels, leaky-relu
 * alpha and dropout (off at inference) all come back, and so does format 3's provenance.
 */
class ModelFormatGoldenTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static InputStream resource(String name) {
        return ModelFormatGoldenTest.class.getResourceAsStream("/models/" + name);
    }

    private static ModelDocument document(String name) throws IOException {
        try (InputStream model = resource(name)) {
            return JSON.readValue(model, ModelDocument.class);
        }
    }

    /** A golden model file, {@code name.json}, and the outputs it gave when it was written, {@code name.expected.json}. */
    private record Golden(ModelDocument document, JsonNode expected) {

        static Golden of(String name) throws IOException {
            try (InputStream outputs = resource(name + ".expected.json")) {
                return new Golden(ModelFormatGoldenTest.document(name + ".json"), JSON.readTree(outputs));
            }
        }

        void assertPredictsAsWritten(TrainedModel model, List<List<Object>> rows) {
            double[] outputs = model.outputs(rows, (r, f) -> "row " + r);
            assertThat(outputs).hasSize(expected.get("outputs").size());
            for (int i = 0; i < outputs.length; i++) {
                // only summation order may differ between BLAS implementations
                assertThat(outputs[i]).isCloseTo(expected.get("outputs").get(i).asDouble(), within(EXACT));
            }
        }
    }

    @Test
    void aFormatOneModelLoadsAndPredictsAsWhenItWasWritten() throws IOException {
        Golden golden = Golden.of("xor-v1");
        JsonNode expected = golden.expected();
        TrainedModel model = ModelCodec.fromDocument(golden.document());
        assertThat(model.featureNames()).containsExactly("x1", "x2");
        assertThat(model.labels().labels()).containsExactly("no", "yes");
        assertThat(model.network().spec().hiddenLayers().get(1).activation().alpha()).isEqualTo(0.05);

        double[] inputs = new double[expected.get("inputs").size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = expected.get("inputs").get(i).asDouble();
        }
        java.util.List<java.util.List<Object>> rows = new java.util.ArrayList<>();
        for (int r = 0; r < inputs.length / 2; r++) {
            rows.add(java.util.List.of(inputs[2 * r], inputs[2 * r + 1]));
        }
        golden.assertPredictsAsWritten(model, rows);
    }

    @Test
    void aFormatTwoModelWithCategoriesAndImputationLoadsAndPredictsAsWhenItWasWritten() throws IOException {
        Golden golden = Golden.of("mixed-v2");
        TrainedModel model = ModelCodec.fromDocument(golden.document());
        java.util.List<java.util.List<Object>> rows = new java.util.ArrayList<>();
        for (JsonNode input : golden.expected().get("inputs")) {
            rows.add(java.util.Arrays.asList(input.get(0).isNull() ? null : input.get(0).asDouble(),
                    input.get(1).isNull() ? null : input.get(1).asString()));
        }
        golden.assertPredictsAsWritten(model, rows);
        assertThat(ModelCodec.toDocument(model).pipeline()).isEqualTo(golden.document().pipeline());
        assertThatThrownBy(() -> model.outputs(java.util.List.of(java.util.Arrays.asList(1.0, "purple")), (r, f) -> "row " + r))
                .hasMessageContaining("unknown category");
    }

    @Test
    void aDocumentRoundTripsExactly() throws IOException {
        ModelDocument document = document("xor-v1.json");
        ModelDocument again = ModelCodec.toDocument(ModelCodec.fromDocument(document));
        assertThat(again.formatVersion()).isEqualTo(ModelDocument.CURRENT_FORMAT);
        assertThat(again.parameters()).isEqualTo(document.parameters());
        // format 1's standardization becomes format 2's numeric steps
        assertThat(again.pipeline()).hasSize(2);
        assertThat(again.pipeline().get(0).center()).isEqualTo(document.preprocessing().mean()[0]);
        assertThat(again.pipeline().get(1).scale()).isEqualTo(document.preprocessing().std()[1]);
        assertThat(again.summary().parameters()).isNull();
        // how a format 1 model was made was never recorded
        assertThat(again.provenance()).isNull();
    }

    @Test
    void aModelFromBeforeFloat32IsFloat64AndAFloat32ModelKeepsItsPrecision() throws IOException {
        ModelDocument document = document("xor-v1.json");
        assertThat(document.network().precision()).isNull();
        TrainedModel legacy = ModelCodec.fromDocument(document);
        assertThat(legacy.network().spec().precision()).isEqualTo(Precision.FLOAT64);
        assertThat(ModelCodec.toDocument(legacy).network().precision()).isEqualTo("float64");

        ModelDocument.Architecture a = document.network();
        ModelDocument float32 = new ModelDocument(document.formatVersion(), document.id(), document.jobId(), document.createdAt(),
                document.task(), document.inputSchema(), document.preprocessing(), document.pipeline(), document.labels(),
                new ModelDocument.Architecture(a.inputSize(), a.hiddenLayers(), a.outputUnits(), a.outputActivation(), a.outputAlpha(),
                        a.initializer(), a.parameterCount(), "float32"), document.parameters(), document.metrics(),
                document.provenance());
        TrainedModel model = ModelCodec.fromDocument(float32);
        assertThat(model.network().spec().precision()).isEqualTo(Precision.FLOAT32);
        assertThat(ModelCodec.toDocument(model).network().precision()).isEqualTo("float32");
        List<List<Object>> rows = List.of(List.of(0.0, 1.0), List.of(1.0, 1.0), List.of(0.3, 0.7));
        assertThat(model.outputs(rows, (r, f) -> "row " + r))
                .containsExactly(legacy.outputs(rows, (r, f) -> "row " + r), within(FLOAT32_ROUNDING));
    }

    @Test
    void anUnknownFormatIsRefusedByName() throws IOException {
        ModelDocument document = document("xor-v1.json");
        ModelDocument future = new ModelDocument(4, document.id(), document.jobId(), document.createdAt(), document.task(),
                document.inputSchema(), document.preprocessing(), null, document.labels(), document.network(), document.parameters(),
                document.metrics(), null);
        assertThatThrownBy(() -> ModelCodec.fromDocument(future)).hasMessageContaining("format 4")
                .hasMessageContaining("formats 1 to 3");
    }

    /**
     * {@code mixed-v3.json} was stored by the packaged service (0.1.0-SNAPSHOT) from a training job on a
     * 40-row data set, then frozen with fixed ids and creation time; its outputs are the service's predictions.
     */
    @Test
    void aFormatThreeModelLoadsWithItsProvenanceAndPredictsAsWhenItWasWritten() throws IOException {
        Golden golden = Golden.of("mixed-v3");
        TrainedModel model = ModelCodec.fromDocument(golden.document());
        List<List<Object>> rows = new java.util.ArrayList<>();
        for (JsonNode input : golden.expected().get("inputs")) {
            rows.add(java.util.Arrays.asList(input.get(0).isNull() ? null : input.get(0).asString(),
                    input.get(1).isNull() ? null : input.get(1).asDouble()));
        }
        golden.assertPredictsAsWritten(model, rows);

        ModelProvenance provenance = model.provenance();
        assertThat(provenance.jobType()).isEqualTo("training");
        assertThat(provenance.bestTrialParams()).isNull();
        assertThat(provenance.seed()).isEqualTo(11);
        assertThat(provenance.datasetId()).isNotNull();
        assertThat(provenance.rows()).isEqualTo(40);
        assertThat(provenance.trainingRows()).isEqualTo(32);
        assertThat(provenance.backpropVersion()).isEqualTo("0.1.0-SNAPSHOT");
        // the training request as the job stored it, every default filled in
        assertThat(provenance.trainingSpec().get("training").get("seed").asLong()).isEqualTo(provenance.seed());
        assertThat(provenance.trainingSpec().get("training").get("optimizer").asString()).isEqualTo("adam");
        assertThat(provenance.trainingSpec().get("training").get("beta2").asDouble()).isEqualTo(0.999);
        assertThat(provenance.trainingSpec().get("network").get("hiddenLayers").get(0).get("units").asInt()).isEqualTo(5);
    }

    @Test
    void theCurrentCodeWritesTheFormatThreeFileExactly() throws IOException {
        JsonNode file;
        try (InputStream model = resource("mixed-v3.json")) {
            file = JSON.readTree(model);
        }
        ModelDocument again = ModelCodec.toDocument(ModelCodec.fromDocument(JSON.treeToValue(file, ModelDocument.class)));
        // compared as compact text: a tree read from a file holds small longs as ints, one built from records does not
        assertThat(JSON.writeValueAsString(again)).isEqualTo(JSON.writeValueAsString(file));
        assertThat(again.summary().provenance()).isEqualTo(again.provenance());
    }

    @Test
    void modelsFromBeforeFormatThreeHaveNoProvenance() throws IOException {
        for (String name : List.of("xor-v1.json", "mixed-v2.json")) {
            ModelDocument document = document(name);
            assertThat(document.provenance()).as(name).isNull();
            assertThat(ModelCodec.fromDocument(document).provenance()).as(name).isNull();
        }
    }
}
