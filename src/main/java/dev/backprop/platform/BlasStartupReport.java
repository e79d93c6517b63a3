package dev.backprop.platform;

import dev.backprop.nn.Gemm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Names the BLAS implementation at startup: a JVM launched without
 * {@code --add-modules jdk.incubator.vector} silently falls back to the scalar BLAS, several times
 * slower, and this line is how an operator notices.
 */
@Component
class BlasStartupReport {

    private static final Logger log = LoggerFactory.getLogger(BlasStartupReport.class);

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        String implementation = Gemm.implementationName();
        if (implementation.startsWith("VectorBLAS")) {
            log.info("Matrix products use {}", implementation);
        } else {
            log.warn("Matrix products use {}; start the JVM with --add-modules=jdk.incubator.vector for the vector-API BLAS",
                    implementation);
        }
    }
}
