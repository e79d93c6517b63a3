package dev.backprop.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
        double[] outputs = model.outputs(inputs, inputs.length / 2);
        for (int i = 0; i < outputs.length; i++) {
            // only summation order may differ between BLAS implementations
            assertThat(outputs[i]).isCloseTo(expected.get("outputs").get(i).asDouble(), within(1e-12));
        }
    }

    @Test
    void aDocumentRoundTripsExactly() throws IOException {
        ModelDocument document;
        try (InputStream model = resource("xor-v1.json")) {
            document = JSON.readValue(model, ModelDocument.class);
        }
        ModelDocument again = ModelCodec.toDocument(ModelCodec.fromDocument(document));
        assertThat(again.parameters()).isEqualTo(document.parameters());
        assertThat(again.preprocessing().mean()).isEqualTo(document.preprocessing().mean());
        assertThat(again.summary().parameters()).isNull();
    }

    @Test
    void anUnknownFormatIsRefusedByName() throws IOException {
        ModelDocument document;
        try (InputStream model = resource("xor-v1.json")) {
            document = JSON.readValue(model, ModelDocument.class);
        }
        ModelDocument future = new ModelDocument(2, document.id(), document.jobId(), document.createdAt(), document.task(),
                document.inputSchema(), document.preprocessing(), document.labels(), document.network(), document.parameters(),
                document.metrics());
        assertThatThrownBy(() -> ModelCodec.fromDocument(future)).hasMessageContaining("format 2");
    }

    @Test
    void weightsEncodeAsLittleEndianDoublesExactly() {
        double[] values = {0.1, -2.5e-300, Double.MIN_VALUE, 123456789.123456789};
        assertThat(ModelCodec.decode(ModelCodec.encode(values))).containsExactly(values);
        assertThat(ModelCodec.encode(new double[]{1.0})).isEqualTo("AAAAAAAA8D8=");
        assertThat(List.of(ModelCodec.decode("AAAAAAAA8D8="))).hasSize(1);
    }
}
