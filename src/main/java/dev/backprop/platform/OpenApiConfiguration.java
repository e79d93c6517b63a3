package dev.backprop.platform;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document behind Swagger UI: the service's description and the tutorial's examples as
 * ready-to-run requests of {@code POST /jobs}. The examples live as JSON files under
 * {@code openapi/examples}, so that tests can submit exactly what Swagger UI offers.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    /** Example name to its classpath file and summary. */
    static final Map<String, String[]> JOB_EXAMPLES = new LinkedHashMap<>();

    static {
        JOB_EXAMPLES.put("xor", new String[]{"openapi/examples/xor.json",
                "The tutorial's XOR: 2-4-1 sigmoid network, mse, sgd lr 0.1, full batch, 10,000 epochs"});
        JOB_EXAMPLES.put("synthetic", new String[]{"openapi/examples/synthetic.json",
                "The tutorial's 3-4-6-1 relu/relu/sigmoid classifier on its 100-row synthetic data set"});
        JOB_EXAMPLES.put("grid", new String[]{"openapi/examples/grid.json",
                "The tutorial's grid search: learning rate × hidden units × activation, 18 trials of a 3-h-1 classifier"});
    }

    @Bean
    OpenAPI backpropOpenApi() {
        return new OpenAPI().info(new Info().title("Backprop").version("v1")
                .description("Train feed-forward neural networks on tabular data over REST: submit a job, follow its loss "
                        + "history, read its metrics, and call the trained model for predictions. Errors are RFC 9457 "
                        + "problem details."));
    }

    @Bean
    OpenApiCustomizer jobExamples(JsonMapper json) {
        return openApi -> {
            if (openApi.getPaths() == null || openApi.getPaths().get("/jobs") == null
                    || openApi.getPaths().get("/jobs").getPost() == null) {
                return;
            }
            Content content = openApi.getPaths().get("/jobs").getPost().getRequestBody().getContent();
            MediaType mediaType = content.get(org.springframework.http.MediaType.APPLICATION_JSON_VALUE);
            if (mediaType == null) {
                return;
            }
            // Plain maps and lists: springdoc writes the document with its own Jackson, which knows no Jackson 3 trees.
            JOB_EXAMPLES.forEach((name, file) -> mediaType.addExamples(name,
                    new Example().summary(file[1]).value(json.readValue(read(file[0]), Object.class))));
        };
    }

    private static String read(String path) {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
