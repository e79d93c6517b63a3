package dev.backprop.model.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.backprop.model.MetricsReport;
import dev.backprop.model.InputColumns;
import dev.backprop.model.ModelService;
import dev.backprop.model.Predictions;
import dev.backprop.platform.ApiException;
import dev.backprop.platform.JsonConfiguration;
import dev.backprop.platform.PropertiesConfiguration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The models controller alone: JSON cells in, predictions and metrics out, problems for bad rows. */
@WebMvcTest({ModelController.class, PredictionController.class})
@Import({JsonConfiguration.class, PropertiesConfiguration.class})
class ModelControllerTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ModelService models;

    @Test
    void predictPassesCellsAndReturnsLabelsWithProbabilities() throws Exception {
        UUID id = UUID.randomUUID();
        when(models.predict(eq(id), any(), any(), any())).thenReturn(new Predictions(List.of("no", "yes"),
                List.of(new Predictions.Row("yes", new double[]{0.2, 0.8}, null))));
        mvc.perform(post("/models/" + id + "/predict").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"records\": [{\"x1\": 1, \"x2\": 0.5}]}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.labels[1]").value("yes"))
                .andExpect(jsonPath("$.predictions[0].label").value("yes"))
                .andExpect(jsonPath("$.predictions[0].probabilities[1]").value(0.8));
        ArgumentCaptor<InputColumns> records = ArgumentCaptor.forClass(InputColumns.class);
        verify(models).predict(eq(id), isNull(), records.capture(), isNull());
        assertThat(records.getValue().names()).containsExactly("x1", "x2");
        assertThat(records.getValue().column(0, true).cell(0)).isEqualTo(1L);
        assertThat(records.getValue().column(1, false).cell(0)).isEqualTo(0.5);
    }

    @Autowired
    tools.jackson.databind.json.JsonMapper json;

    @Test
    void probabilitiesAreWrittenByTheFastDoubleWriterAndReadBackExactly() throws Exception {
        assertThat(json.isEnabled(tools.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)).isTrue();
        UUID id = UUID.randomUUID();
        double[] awkward = {0.1 + 0.2, Math.PI / 3, 4.9e-324, 1 - 1e-16, 2.0e23, 1.0e-7};
        when(models.predict(eq(id), any(), any(), any())).thenReturn(new Predictions(null, java.util.Arrays.stream(awkward)
                .mapToObj(v -> new Predictions.Row(null, null, v)).toList()));
        String body = mvc.perform(post("/models/" + id + "/predict").contentType(MediaType.APPLICATION_JSON)
                .content("{\"instances\": [[1]]}")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        tools.jackson.databind.JsonNode predictions = json.readTree(body).get("predictions");
        for (int i = 0; i < awkward.length; i++) {
            assertThat(predictions.get(i).get("value").asDouble()).isEqualTo(awkward[i]);
        }
    }

    @Test
    void regressionAnswersCarryValues() throws Exception {
        UUID id = UUID.randomUUID();
        when(models.predict(eq(id), any(), any(), any())).thenReturn(new Predictions(null, List.of(new Predictions.Row(null, null, 3.5))));
        mvc.perform(post("/models/" + id + "/predict").contentType(MediaType.APPLICATION_JSON).content("{\"instances\": [[1, 2]]}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.predictions[0].value").value(3.5))
                .andExpect(jsonPath("$.predictions[0].label").doesNotExist());
    }

    @Test
    void nonFiniteAndNestedCellsAreRejectedBeforeTheService() throws Exception {
        UUID id = UUID.randomUUID();
        mvc.perform(post("/models/" + id + "/predict").contentType(MediaType.APPLICATION_JSON).content("{\"instances\": [[1, 1e999]]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("instances[0][1]"));
        mvc.perform(post("/models/" + id + "/predict").contentType(MediaType.APPLICATION_JSON).content("{\"records\": [{\"x\": [1]}]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("records[0].x"));
    }

    @Test
    void instancesKeepEveryKindOfCellAndReportEveryBadOneWithItsPath() throws Exception {
        UUID id = UUID.randomUUID();
        when(models.predict(eq(id), any(), any(), any())).thenReturn(new Predictions(null, List.of()));
        mvc.perform(post("/models/" + id + "/predict").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"instances\": [[1, 2.5, \"red\", true, null, -7], []]}"))
                .andExpect(status().isOk());
        ArgumentCaptor<InputColumns> instances = ArgumentCaptor.forClass(InputColumns.class);
        verify(models).predict(eq(id), instances.capture(), isNull(), isNull());
        InputColumns rows = instances.getValue();
        assertThat(rows.rowCount()).isEqualTo(2);
        assertThat(rows.rowLength(0)).isEqualTo(6);
        assertThat(rows.rowLength(1)).isZero();
        assertThat(java.util.stream.IntStream.range(0, 6).mapToObj(c -> rows.column(c, true).cell(0)).toList())
                .containsExactly(1L, 2.5, "red", true, null, -7L);

        mvc.perform(post("/models/" + id + "/predict").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"instances\": [[1, [2]], [{\"a\": 1}, 1e400], 5, null, [123456789012345678901234567890]]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("instances[0][1]"))
                .andExpect(jsonPath("$.errors[0].message").value("expected a number, a string, a boolean or null, got an array"))
                .andExpect(jsonPath("$.errors[1].field").value("instances[1][0]"))
                .andExpect(jsonPath("$.errors[1].message").value("expected a number, a string, a boolean or null, got an object"))
                .andExpect(jsonPath("$.errors[2].field").value("instances[1][1]"))
                .andExpect(jsonPath("$.errors[2].message").value("number out of range (must be finite)"))
                .andExpect(jsonPath("$.errors[3].field").value("instances[2]"))
                .andExpect(jsonPath("$.errors[4].field").value("instances[3]"))
                .andExpect(jsonPath("$.errors[5]").doesNotExist());
        mvc.perform(post("/models/" + id + "/predict").contentType(MediaType.APPLICATION_JSON).content("{\"instances\": 5}"))
                .andExpect(status().isBadRequest());
    }

    @Test
    void evaluateReturnsTheReportAndUnknownModelsAre404() throws Exception {
        UUID id = UUID.randomUUID();
        MetricsReport report = json.convertValue(Map.of("kind", "regression", "rows", 2, "mse", 0.25, "rmse", 0.5, "mae", 0.5,
                "r2", 0.9), MetricsReport.class);
        when(models.evaluate(eq(id), any())).thenReturn(report);
        mvc.perform(post("/models/" + id + "/evaluate").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"instances\": [[1], [2]], \"targets\": [1.5, 2.5]}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.r2").value(0.9))
                .andExpect(jsonPath("$.accuracy").doesNotExist());
        UUID missing = UUID.randomUUID();
        when(models.summary(missing)).thenThrow(ApiException.notFound("model", missing));
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/models/" + missing))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("https://backprop.dev/problems/not-found"));
    }
}
