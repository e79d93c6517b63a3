package dev.backprop.job;

import dev.backprop.support.EmbeddedPostgresDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same tests against a real PostgreSQL started in the test JVM. */
class PostgresJobRepositoryTest extends JobRepositoryTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgresDatabases.register(registry);
    }
}
