package dev.backprop.platform;

import org.apache.coyote.AbstractProtocol;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Tomcat's request threads: two per core plus {@value #WAITING_THREADS} unless {@code server.tomcat.threads.max}
 * is set.
 *
 * <p>Request work here is CPU-bound (JSON in and out, predictions, CSV parsing), so threads beyond the
 * cores only time-slice them, and a time-sliced request waits for every other runnable thread's slice:
 * on this project's 2-core machine, wrk's 32 connections of single-row predicts got p99 17 ms at
 * 9,000–9,500 requests/s with 4 threads, 20 ms at 6,800 with 8, and 27–33 ms at 4,700–5,600 with 16
 * (bench/NOTES.md). Connections beyond the threads wait in Tomcat's queue, served in turn.
 *
 * <p>The extra threads are for requests that wait rather than compute: a body that arrives slowly holds its
 * thread while it does (at most {@code max-concurrent-uploads} of them, each for at most
 * {@code body-read-timeout}), and so does a request waiting for the database's connection timeout during
 * an outage. With two per core only, four slow uploads took every thread and health timed out for a
 * minute (reliability issue; {@code SlowClientsEndToEndTest}).
 */
@Configuration(proxyBeanMethods = false)
class RequestThreadsConfiguration {

    static final String PROPERTY = "server.tomcat.threads.max";

    /** Threads beyond the CPU-bound ones, for requests waiting on a client or on the database. */
    static final int WAITING_THREADS = 16;

    /** Two per core (at least 4) for the work, plus the waiting ones. */
    static int defaultRequestThreads() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors()) + WAITING_THREADS;
    }

    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> requestThreads(Environment environment) {
        return new RequestThreads(environment.containsProperty(PROPERTY));
    }

    /** Runs after Spring Boot's own Tomcat customizer, whose default (200) it replaces when nobody chose one. */
    private record RequestThreads(boolean configured) implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

        @Override
        public void customize(ConfigurableTomcatWebServerFactory factory) {
            if (configured) {
                return;
            }
            int threads = defaultRequestThreads();
            factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
                    protocol.setMaxThreads(threads);
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
