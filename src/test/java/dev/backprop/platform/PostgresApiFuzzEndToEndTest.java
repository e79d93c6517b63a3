package dev.backprop.platform;

import dev.backprop.support.EmbeddedPostgresDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same fuzzing against a real PostgreSQL, which rejects some text (NUL, overlong names) that H2 stores. */
class PostgresApiFuzzEndToEndTest extends ApiFuzzEndToEndTest {

    /** Other requests than on H2: more of the input space for the same time. */
    @Override
    long seed() {
        return 20261202L;
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgresDatabases.register(registry);
    }
}
