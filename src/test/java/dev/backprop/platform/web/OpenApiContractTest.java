package dev.backprop.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.HttpEndToEndTest;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** The OpenAPI document parses without a message, and names every operation once with a schema for each 2xx answer. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiContractTest extends HttpEndToEndTest {

    private OpenAPI parsed(String text) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIParser().readContents(text, null, options);
        assertThat(result.getMessages()).as("parser messages").isEmpty();
        return result.getOpenAPI();
    }

    /**
     * A JSON cell (Jackson's JsonNode in the request records: rows, targets, records) is described as the value it is,
     * not as a bean: springdoc read JsonNode's getters and offered properties such as array, nodeType and
     * containerNode, which a generated client would have sent (this test failed on them then).
     */
    @Test
    void jsonCellsAreDescribedAsValuesAndNoSchemaExposesJsonNodesBeanProperties() {
        tools.jackson.databind.JsonNode document = http.get("/v3/api-docs").json();
        List<String> beanProperties = new ArrayList<>();
        document.path("components").path("schemas").properties().forEach(schema -> walk(schema.getKey(), schema.getValue(),
                beanProperties));
        assertThat(beanProperties).isEmpty();

        tools.jackson.databind.JsonNode data = document.get("components").get("schemas").get("DataRequest").get("properties");
        tools.jackson.databind.JsonNode cell = data.get("rows").get("items").get("items");
        assertThat(cell.get("type").valueStream().map(t -> t.asString()).toList())
                .containsExactlyInAnyOrder("number", "string", "boolean", "null");
        assertThat(data.get("rows").get("type").toString()).contains("array");
        assertThat(data.get("rows").get("items").get("type").toString()).contains("array");
    }

    /** Collects every property named as one of JsonNode's getters, anywhere under a schema. */
    private static void walk(String where, tools.jackson.databind.JsonNode schema, List<String> found) {
        if (schema.isObject()) {
            schema.path("properties").properties().stream().map(Map.Entry::getKey).forEach(name -> {
                if (Set.of("nodeType", "containerNode", "valueNode", "missingNode", "array", "pojo", "floatingPointNumber")
                        .contains(name)) {
                    found.add(where + "." + name);
                }
            });
            schema.properties().forEach(child -> walk(where + "/" + child.getKey(), child.getValue(), found));
        } else if (schema.isArray()) {
            schema.forEach(child -> walk(where + "[]", child, found));
        }
    }

    @Test
    void theDocumentIsValidAndEveryOperationHasAUniqueIdAndA2xxSchema() throws Exception {
        String text = http.get("/v3/api-docs").body();
        Files.writeString(Path.of("target/api-docs.json"), text);
        OpenAPI api = parsed(text);
        Set<String> ids = new HashSet<>();
        List<String> faults = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String where = method + " " + path;
            if (operation.getOperationId() == null || !operation.getOperationId().matches("[a-z][A-Za-z]+")
                    || !ids.add(operation.getOperationId())) {
                faults.add(where + ": operation id " + operation.getOperationId());
            }
            boolean any2xx = false;
            for (Map.Entry<String, ApiResponse> response : operation.getResponses().entrySet()) {
                if (!response.getKey().startsWith("2")) {
                    continue;
                }
                any2xx = true;
                if (response.getKey().equals("204")) {
                    continue;
                }
                if (response.getValue().getContent() == null || response.getValue().getContent().isEmpty()) {
                    faults.add(where + " " + response.getKey() + ": no content");
                    continue;
                }
                response.getValue().getContent().forEach((type, media) -> {
                    if (media.getSchema() == null) {
                        faults.add(where + " " + response.getKey() + " " + type + ": no schema");
                    }
                });
            }
            if (!any2xx) {
                faults.add(where + ": no 2xx answer");
            }
        }));
        assertThat(faults).isEmpty();
    }
}
