package dev.backprop.platform;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;

/**
 * Strict JSON reading: an unknown property, a string where a number belongs, a fraction where an
 * integer belongs or a null for a primitive is a 400, never a silent coercion. Fast writing of
 * floating-point numbers: Jackson's Schubfach writer instead of JDK 17's {@code Double.toString}, which
 * took more CPU than the prediction itself in a 64-row predict of the T4 model (JFR:
 * {@code FloatingDecimal.dtoa} for its 640 probabilities). Both write a decimal that reads back as
 * the same double; Schubfach's is the shortest one.
 */
@Configuration(proxyBeanMethods = false)
public class JsonConfiguration {

    @Bean
    JsonMapperBuilderCustomizer strictJsonReading() {
        return builder -> builder
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);
    }
}
