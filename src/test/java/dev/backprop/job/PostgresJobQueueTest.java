package dev.backprop.job;

import dev.backprop.support.EmbeddedPostgresDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same tests against a real PostgreSQL started in the test JVM, where a claim is one statement. */
class PostgresJobQueueTest extends JobQueueTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgresDatabases.register(registry);
    }
}
