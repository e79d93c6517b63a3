package dev.backprop.security;

import dev.backprop.support.EmbeddedPostgresDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same races against a real PostgreSQL started in the test JVM. */
class PostgresQuotaRaceEndToEndTest extends QuotaRaceEndToEndTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgresDatabases.register(registry);
    }
}
