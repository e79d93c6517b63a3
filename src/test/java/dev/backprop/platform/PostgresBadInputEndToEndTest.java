package dev.backprop.platform;

import dev.backprop.support.EmbeddedPostgresDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same inputs against a real PostgreSQL, which rejects NUL in text and overlong names itself. */
class PostgresBadInputEndToEndTest extends BadInputEndToEndTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgresDatabases.register(registry);
    }
}
