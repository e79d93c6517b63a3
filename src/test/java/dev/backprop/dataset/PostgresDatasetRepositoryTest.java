package dev.backprop.dataset;

import dev.backprop.support.EmbeddedPostgresDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same tests against a real PostgreSQL started in the test JVM. */
class PostgresDatasetRepositoryTest extends DatasetRepositoryTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgresDatabases.register(registry);
    }
}
