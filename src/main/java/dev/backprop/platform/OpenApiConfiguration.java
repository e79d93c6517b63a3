package dev.backprop.platform;

import com.fasterxml.jackson.databind.JavaType;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.PropertyCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
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

    static {
        // A cell of inline rows, targets or records is a JSON value; springdoc described Jackson's JsonNode by its
        // getters (array, nodeType, containerNode, …) as if it were a bean a client should send
        SpringDocUtils.getConfig().replaceWithSchema(tools.jackson.databind.JsonNode.class, new Schema<>()
                .types(new java.util.LinkedHashSet<>(List.of("number", "string", "boolean", "null")))
                .description("A cell: a number, a string, a boolean or null"));
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

    /**
     * Examples for every operation from files named by operation id, so that each is a real answer (or a
     * request that gets one) and tests can send and check exactly what the document shows:
     * {@code openapi/answers/<id>-<status>.json} for a JSON answer, {@code openapi/requests/<id>.json} or
     * {@code .csv} for the request body.
     */
    @Bean
    OpenApiCustomizer operationExamples(JsonMapper json) {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
                String id = operation.getOperationId();
                if (operation.getResponses() != null) {
                    operation.getResponses().forEach((status, response) -> {
                        String answer = "openapi/answers/" + id + "-" + status + ".json";
                        MediaType media = response.getContent() == null ? null
                                : response.getContent().get(org.springframework.http.MediaType.APPLICATION_JSON_VALUE);
                        if (media != null && new ClassPathResource(answer).exists()) {
                            media.setExample(json.readValue(read(answer), Object.class));
                        }
                    });
                }
                if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
                    return;
                }
                operation.getRequestBody().getContent().forEach((type, media) -> {
                    String request = "openapi/requests/" + id + (type.equals("text/csv") ? ".csv" : ".json");
                    if (!type.equals("text/csv") && !type.equals(org.springframework.http.MediaType.APPLICATION_JSON_VALUE)
                            || !new ClassPathResource(request).exists()) {
                        return;
                    }
                    media.setExample(type.equals("text/csv") ? read(request) : json.readValue(read(request), Object.class));
                });
            }));
        };
    }

    /**
     * Marks every property that can be null as nullable (OpenAPI 3.1: {@code "null"} among its types, or one of a
     * reference and null): most answers write absent values as {@code null}, which springdoc's schemas would
     * otherwise refuse, so a client generated from them would fail on real answers. Primitive properties and
     * required ones are never null.
     */
    /**
     * A model's {@code provenance.trainingSpec} is the whole training request as submitted, a JSON object; it is held
     * as a {@code JsonNode}, which the document describes as a cell (above), so its schema is set here by name.
     */
    @Bean
    OpenApiCustomizer trainingSpecIsAnObject() {
        return openApi -> {
            Schema<?> provenance = openApi.getComponents() == null || openApi.getComponents().getSchemas() == null ? null
                    : openApi.getComponents().getSchemas().get("ModelProvenance");
            if (provenance != null && provenance.getProperties() != null && provenance.getProperties().containsKey("trainingSpec")) {
                provenance.getProperties().put("trainingSpec", new Schema<>().types(new java.util.LinkedHashSet<>(List.of("object", "null")))
                        .description("The training request as submitted (a search's model: the search request)"));
            }
        };
    }

    @Bean
    PropertyCustomizer nullableProperties() {
        return (property, type) -> {
            Type javaType = type.getType();
            Class<?> raw = javaType instanceof Class<?> c ? c : javaType instanceof JavaType j ? j.getRawClass() : null;
            boolean required = type.getCtxAnnotations() != null && java.util.Arrays.stream(type.getCtxAnnotations())
                    .anyMatch(a -> a instanceof io.swagger.v3.oas.annotations.media.Schema s
                            && s.requiredMode() == io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED);
            if (raw != null && raw.isPrimitive() || required) {
                return property;
            }
            if (property.get$ref() != null) {
                return new Schema<>().oneOf(List.of(new Schema<>().$ref(property.get$ref()), new Schema<>().types(Set.of("null"))))
                        .description(property.getDescription());
            }
            Set<String> types = property.getTypes() != null ? property.getTypes()
                    : property.getType() != null ? Set.of(property.getType()) : Set.of();
            if (!types.isEmpty() && !types.contains("null")) {
                Set<String> nullable = new java.util.LinkedHashSet<>(types);
                nullable.add("null");
                property.setTypes(nullable);
                if (property.getEnum() != null) {
                    property.getEnum().add(null);
                }
            }
            return property;
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
