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
