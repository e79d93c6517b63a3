package dev.backprop.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * The model and data set pictures in a real browser, each read against the API answer it was drawn from: a
 * binary model's ROC and precision–recall points (POST /models/{id}/evaluate) and its feature importance
 * (POST /models/{id}/importance), a regression's residuals, and a histogram per numeric column (GET
 * /datasets/{id}). The same context as DashboardBrowserTest, so the application starts once for both.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@Import(AuthorizationHeaders.class)
class DashboardPicturesBrowserTest extends BrowserEndToEndTest {

    private static final Duration PAGE = Duration.ofSeconds(30);


    @Test
    void aBinaryModelDrawsTheEvaluateAnswersCurvesAndTheImportanceAnswersBars() throws Exception {
        String datasetId = upload("breast_cancer");
        String jobId = accepted(train(datasetId, "label", "classification"));
        String modelId = awaitEnd(jobId).get("modelId").asString();
        browser.open("/ui/models/" + modelId);
        WebElement roc = browser.waitFor("#roc-chart[data-points]");
        WebElement pr = browser.waitFor("#pr-chart[data-points]");
        JsonNode evaluation = http.post("/models/" + modelId + "/evaluate", "{\"datasetId\": \"" + datasetId + "\"}").json();
        assertThat(evaluation.get("rocCurve").size()).isGreaterThan(2);
        assertThat(roc.getDomAttribute("data-points")).isEqualTo(String.valueOf(evaluation.get("rocCurve").size()));
        assertThat(pr.getDomAttribute("data-points")).isEqualTo(String.valueOf(evaluation.get("precisionRecallCurve").size()));

        await().atMost(PAGE).until(() -> browser.all("#importance tbody tr").size() > 0);
        JsonNode importance = http.post("/models/" + modelId + "/importance", "{\"datasetId\": \"" + datasetId + "\"}").json();
        List<String> features = new ArrayList<>();
        browser.all("#importance tbody tr").forEach(tr -> features.add(tr.getDomAttribute("data-feature")));
        assertThat(features).hasSize(importance.get("features").size()).hasSize(30);
        // largest drop first, as the answer's means order them (the same seed gives the same answer)
        List<Double> means = new ArrayList<>();
        browser.all("#importance tbody tr").forEach(tr -> means.add(Double.parseDouble(tr.getDomAttribute("data-importance"))));
        assertThat(means).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        List<Double> answered = new ArrayList<>();
        importance.get("features").forEach(f -> answered.add(f.get("importanceMean").asDouble()));
        answered.sort((a, b) -> Double.compare(b, a));
        assertThat(means).isEqualTo(answered);
        browser.screenshot("model-breast-cancer-curves");
        browser.assertNoErrors();

        // the data set's page: a histogram per numeric column, bars and counts as the answer's bins
        browser.open("/ui/datasets/" + datasetId);
        JsonNode columns = http.get("/datasets/" + datasetId).json().get("columns");
        await().atMost(PAGE).until(() -> browser.all("[data-histogram]").size() == columns.size());
        for (JsonNode column : columns) {
            JsonNode histogram = column.get("histogram");
            WebElement chart = browser.find("[data-histogram='" + column.get("name").asString() + "']");
            assertThat(chart.getDomAttribute("data-bars")).isEqualTo(String.valueOf(histogram.get("counts").size()));
            long total = 0;
            for (JsonNode count : histogram.get("counts")) {
                total += count.asLong();
            }
            assertThat(total).isEqualTo(569 - column.get("missing").asInt());
            assertThat(chart.getDomAttribute("data-total")).isEqualTo(String.valueOf(total));
        }
        browser.screenshot("dataset-breast-cancer-histograms");
        browser.assertNoErrors();
    }

    @Test
    void aRegressionDrawsItsResidualsAndNoCurves() throws Exception {
        String datasetId = upload("friedman1");
        String modelId = awaitEnd(accepted(train(datasetId, "y", "regression"))).get("modelId").asString();
        browser.open("/ui/models/" + modelId);
        WebElement residuals = browser.waitFor("#residuals-chart[data-points]");
        JsonNode evaluation = http.post("/models/" + modelId + "/evaluate", "{\"datasetId\": \"" + datasetId + "\"}").json();
        // every row of the data set (1,000: the cap), one point each
        assertThat(evaluation.get("residuals").size()).isEqualTo(evaluation.get("rows").asInt()).isGreaterThan(100);
        assertThat(residuals.getDomAttribute("data-points")).isEqualTo(String.valueOf(evaluation.get("residuals").size()));
        await().atMost(PAGE).until(() -> browser.all("#importance tbody tr").size() == 10);
        assertThat(browser.all("#roc-chart")).isEmpty();
        browser.screenshot("model-friedman1-residuals");
        browser.assertNoErrors();
    }

    private String upload(String name) throws Exception {
        byte[] csv = getClass().getResourceAsStream("/datasets/" + name + ".csv").readAllBytes();
        JsonNode uploaded = http.post("/datasets?name=" + name, "text/csv", new String(csv, StandardCharsets.UTF_8)).json();
        return uploaded.get("id").asString();
    }

    /** A small network trained briefly: the pictures, not the model, are under test. */
    private static String train(String datasetId, String target, String task) {
        return """
                {"task": "%s", "data": {"datasetId": "%s", "targetColumn": "%s"},
                 "network": {"hiddenLayers": [{"units": 8, "activation": "relu"}]},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "epochs": 30, "seed": 1, "validationFraction": 0.2}}"""
                .formatted(task, datasetId, target);
    }
}
