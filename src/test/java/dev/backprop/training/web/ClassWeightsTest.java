package dev.backprop.training.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/** Class weights over HTTP: checked against the classes, shown by a dry run, and felt in the rare class's recall. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClassWeightsTest extends HttpEndToEndTest {

    private static Map<String, Object> imbalanced() {
        return imbalanced(10);
    }

    /** 400 rows, one in {@code every} "rare", whose feature overlaps the common class's: an unweighted model mostly says "common". */
    private static Map<String, Object> imbalanced(int every) {
        SplittableRandom random = new SplittableRandom(17);
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            boolean rare = i % every == 0;
            rows.add(List.of(random.nextGaussian() + (rare ? 1.0 : 0.0), random.nextGaussian(), rare ? "rare" : "common"));
        }
        return Map.of("columns", List.of("x", "noise", "label"), "rows", rows, "targetColumn", "label");
    }

    private JsonNode trainingMetrics(Object classWeights) {
        Map<String, Object> training = classWeights == null ? Map.of("seed", 5L) : Map.of("seed", 5L, "classWeights", classWeights);
        Http.Response submitted = http.post("/jobs", Http.json(Map.of("data", imbalanced(), "training", training)));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode job = awaitEnd(submitted.json().get("id").asString());
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        JsonNode training0 = http.get("/jobs/" + job.get("id").asString() + "/metrics").json().get("finalMetrics").get("training");
        return training0;
    }

    @Test
    void balancedWeightsRaiseTheRareClassesRecall() {
        JsonNode unweighted = trainingMetrics(null);
        JsonNode balanced = trainingMetrics("balanced");
        // binary: labels sort as [common, rare], so "recall" is the rare class's
        assertThat(balanced.get("recall").asDouble()).isGreaterThan(unweighted.get("recall").asDouble() + 0.2);
        // balanced accuracy, the mean recall over both classes, is what the weights train for
        assertThat(balanced.get("balancedAccuracy").asDouble()).isGreaterThan(unweighted.get("balancedAccuracy").asDouble());
    }

    @Test
    void aDryRunShowsTheBalancedWeightsAndTheImbalanceWarningSuggestsThem() {
        JsonNode dryRun = http.post("/jobs?dryRun=true", Http.json(Map.of("data", imbalanced(),
                "training", Map.of("classWeights", "balanced")))).json();
        assertThat(dryRun.get("defaults").get("training.classWeights").asString()).isEqualTo("balanced: common 0.556, rare 5.000");
        JsonNode nineToOne = http.post("/jobs?dryRun=true", Http.json(Map.of("data", imbalanced()))).json();
        assertThat(nineToOne.get("warnings").findValuesAsString("code")).doesNotContain("imbalanced-classes");
        JsonNode worse = http.post("/jobs?dryRun=true", Http.json(Map.of("data", imbalanced(20)))).json();
        assertThat(worse.get("warnings").findValuesAsString("message")).anyMatch(m -> m.contains("training.classWeights"));
    }

    @Test
    void weightsForUnknownClassesOrARegressionAreRefusedNamingTheField() {
        Http.Response unknown = http.post("/jobs", Http.json(Map.of("data", imbalanced(),
                "training", Map.of("classWeights", Map.of("rare", 3, "unheard", 2)))));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").get(0).get("field").asString()).isEqualTo("training.classWeights.unheard");
        Http.Response negative = http.post("/jobs", Http.json(Map.of("data", imbalanced(),
                "training", Map.of("classWeights", Map.of("rare", -1)))));
        assertThat(negative.json().get("errors").get(0).get("field").asString()).isEqualTo("training.classWeights.rare");
        Http.Response regression = http.post("/jobs", Http.json(Map.of("task", "regression",
                "data", Map.of("columns", List.of("x", "y"), "rows", List.of(List.of(1, 2.5), List.of(2, 3.5)), "targetColumn", "y"),
                "training", Map.of("classWeights", "balanced"))));
        assertThat(regression.status()).isEqualTo(400);
        assertThat(regression.json().get("errors").get(0).get("field").asString()).isEqualTo("training.classWeights");
    }
}
