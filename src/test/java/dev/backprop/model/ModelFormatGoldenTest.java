package dev.backprop.model;

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
 * A model written in format 1 (committed under {@code src/test/resources/models}) stays loadable and
 * predicts what it predicted when it was written: standardization, labels, leaky-relu alpha and
 * dropout (off at inference) all come back.
 */
class ModelFormatGoldenTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static InputStream resource(String name) {
        return ModelFormatGoldenTest.class.getResourceAsStream("/models/" + name);
    }

    @Test
    void aFormatOneModelLoadsAndPredictsAsWhenItWasWritten() throws IOException {
        ModelDocument document;
        JsonNode expected;
        try (InputStream model = resource("xor-v1.json"); InputStream outputs = resource("xor-v1.expected.json")) {
            document = JSON.readValue(model, ModelDocument.class);
            expected = JSON.readTree(outputs);
        }
        TrainedModel model = ModelCodec.fromDocument(document);
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
        double[] outputs = model.outputs(rows, (r, f) -> "row " + r);
        for (int i = 0; i < outputs.length; i++) {
            // only summation order may differ between BLAS implementations
            assertThat(outputs[i]).isCloseTo(expected.get("outputs").get(i).asDouble(), within(1e-12));
        }
    }

    @Test
    void aFormatTwoModelWithCategoriesAndImputationLoadsAndPredictsAsWhenItWasWritten() throws IOException {
        ModelDocument document;
        JsonNode expected;
        try (InputStream model = resource("mixed-v2.json"); InputStream outputs = resource("mixed-v2.expected.json")) {
            document = JSON.readValue(model, ModelDocument.class);
            expected = JSON.readTree(outputs);
        }
        TrainedModel model = ModelCodec.fromDocument(document);
        java.util.List<java.util.List<Object>> rows = new java.util.ArrayList<>();
        for (JsonNode input : expected.get("inputs")) {
            rows.add(java.util.Arrays.asList(input.get(0).isNull() ? null : input.get(0).asDouble(),
                    input.get(1).isNull() ? null : input.get(1).asString()));
        }
        double[] outputs = model.outputs(rows, (r, f) -> "row " + r);
        for (int i = 0; i < outputs.length; i++) {
            assertThat(outputs[i]).isCloseTo(expected.get("outputs").get(i).asDouble(), within(1e-12));
        }
        assertThat(ModelCodec.toDocument(model).pipeline()).isEqualTo(document.pipeline());
        assertThatThrownBy(() -> model.outputs(java.util.List.of(java.util.Arrays.asList(1.0, "purple")), (r, f) -> "row " + r))
                .hasMessageContaining("unknown category");
    }

    @Test
    void aDocumentRoundTripsExactly() throws IOException {
        ModelDocument document;
        try (InputStream model = resource("xor-v1.json")) {
            document = JSON.readValue(model, ModelDocument.class);
        }
        ModelDocument again = ModelCodec.toDocument(ModelCodec.fromDocument(document));
        assertThat(again.formatVersion()).isEqualTo(2);
        assertThat(again.parameters()).isEqualTo(document.parameters());
        // format 1's standardization becomes format 2's numeric steps
        assertThat(again.pipeline()).hasSize(2);
        assertThat(again.pipeline().get(0).center()).isEqualTo(document.preprocessing().mean()[0]);
        assertThat(again.pipeline().get(1).scale()).isEqualTo(document.preprocessing().std()[1]);
        assertThat(again.summary().parameters()).isNull();
    }

    @Test
    void aModelFromBeforeFloat32IsFloat64AndAFloat32ModelKeepsItsPrecision() throws IOException {
        ModelDocument document;
        try (InputStream model = resource("xor-v1.json")) {
            document = JSON.readValue(model, ModelDocument.class);
        }
        assertThat(document.network().precision()).isNull();
        TrainedModel legacy = ModelCodec.fromDocument(document);
        assertThat(legacy.network().spec().precision()).isEqualTo(Precision.FLOAT64);
        assertThat(ModelCodec.toDocument(legacy).network().precision()).isEqualTo("float64");

        ModelDocument.Architecture a = document.network();
        ModelDocument float32 = new ModelDocument(document.formatVersion(), document.id(), document.jobId(), document.createdAt(),
                document.task(), document.inputSchema(), document.preprocessing(), document.pipeline(), document.labels(),
                new ModelDocument.Architecture(a.inputSize(), a.hiddenLayers(), a.outputUnits(), a.outputActivation(), a.outputAlpha(),
                        a.initializer(), a.parameterCount(), "float32"), document.parameters(), document.metrics());
        TrainedModel model = ModelCodec.fromDocument(float32);
        assertThat(model.network().spec().precision()).isEqualTo(Precision.FLOAT32);
        assertThat(ModelCodec.toDocument(model).network().precision()).isEqualTo("float32");
        List<List<Object>> rows = List.of(List.of(0.0, 1.0), List.of(1.0, 1.0), List.of(0.3, 0.7));
        assertThat(model.outputs(rows, (r, f) -> "row " + r)).containsExactly(legacy.outputs(rows, (r, f) -> "row " + r), within(1e-6));
    }

    @Test
    void anUnknownFormatIsRefusedByName() throws IOException {
        ModelDocument document;
        try (InputStream model = resource("xor-v1.json")) {
            document = JSON.readValue(model, ModelDocument.class);
        }
        ModelDocument future = new ModelDocument(3, document.id(), document.jobId(), document.createdAt(), document.task(),
                document.inputSchema(), document.preprocessing(), null, document.labels(), document.network(), document.parameters(),
                document.metrics());
        assertThatThrownBy(() -> ModelCodec.fromDocument(future)).hasMessageContaining("format 3");
    }
}
