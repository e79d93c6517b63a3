package dev.backprop.model.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/** Models named and tagged by their training request: listings filter on both, and a name finds its newest model. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ModelNamesEndToEndTest extends HttpEndToEndTest {

    private String train(String name, List<String> tags) {
        Http.Response submitted = http.post("/jobs", Http.json(Map.of("name", name, "tags", tags,
                "data", Map.of("columns", List.of("x", "y"), "rows", List.of(List.of(0, 0), List.of(1, 1), List.of(2, 0), List.of(3, 1)),
                        "targetColumn", "y"),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 2))), "training", Map.of("epochs", 2, "seed", 1))));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode job = awaitEnd(submitted.json().get("id").asString());
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        return job.get("modelId").asString();
    }

    private static List<String> ids(Http.Response listing) {
        assertThat(listing.status()).as(listing.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        listing.json().get("items").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    @Test
    void listingsFilterByNameAndTagAndTheNameFindsTheNewestModel() {
        String older = train("churn-named", List.of("baseline", "q3"));
        String newer = train("churn-named", List.of("q3"));
        String other = train("other-named", List.of("baseline"));

        JsonNode model = http.get("/models/" + older).json();
        assertThat(model.get("name").asString()).isEqualTo("churn-named");
        assertThat(model.get("tags").toString()).isEqualTo("[\"baseline\",\"q3\"]");
        assertThat(ids(http.get("/models?name=churn-named"))).containsExactly(newer, older);
        assertThat(http.get("/models?name=churn-named").json().get("total").asLong()).isEqualTo(2);
        assertThat(ids(http.get("/models?tag=baseline"))).containsExactly(other, older);
        assertThat(ids(http.get("/models?name=churn-named&tag=baseline"))).containsExactly(older);
        assertThat(ids(http.get("/models?name=nobody-named"))).isEmpty();

        Http.Response byName = http.get("/models/by-name/churn-named");
        assertThat(byName.status()).as(byName.body()).isEqualTo(200);
        assertThat(byName.json().get("id").asString()).isEqualTo(newer);
        Http.Response unknown = http.get("/models/by-name/nobody-named");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asString()).contains("nobody-named");
    }

    @Test
    void anUnknownFilterIsRejectedNotIgnored() {
        Http.Response response = http.get("/models?nmae=churn");
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("nmae");
    }

    @Test
    void aBlankTagIsRejectedBeforeAnythingIsStored() {
        Http.Response response = http.post("/jobs", Http.json(Map.of("tags", List.of(" "),
                "data", Map.of("columns", List.of("x", "y"), "rows", List.of(List.of(0, 0), List.of(1, 1)), "targetColumn", "y"))));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("tags");
    }
}
