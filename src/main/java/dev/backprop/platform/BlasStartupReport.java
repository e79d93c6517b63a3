package dev.backprop.platform;

import dev.backprop.nn.Gemm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Names the BLAS implementations at startup. Two silent fallbacks cost a lot of speed and this line is
 * how an operator notices them: a JVM launched without {@code --add-modules jdk.incubator.vector} uses
 * the scalar Java BLAS, and a machine without a native {@code libblas.so.3} (OpenBLAS) computes the
 * large products of real networks in the JVM, 3–4× slower. A third is OpenBLAS running a generic kernel on a CPU
 * it does not know ({@link KernelAdvice}): the line names the kernel and, when a wider one fits the CPU, says which
 * to set in {@code OPENBLAS_CORETYPE}.
 */
@Component
class BlasStartupReport {

    private static final Logger log = LoggerFactory.getLogger(BlasStartupReport.class);

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        String implementation = Gemm.implementationName();
        if (!implementation.startsWith("VectorBLAS")) {
            log.warn("Small matrix products use {}; start the JVM with --add-modules=jdk.incubator.vector for the vector-API BLAS",
                    implementation);
        }
        if (Gemm.usesNativeBlas()) {
            Optional<OpenBlasKernel> kernel = OpenBlasKernel.ofSystemBlas();
            log.info("Matrix products use {}{}", Gemm.describe(),
                    kernel.map(k -> "; " + k.config() + ", kernel " + k.coreName()).orElse(""));
            kernel.flatMap(BlasStartupReport::narrowKernelWarning).ifPresent(log::warn);
            if (!"1".equals(System.getenv("OPENBLAS_NUM_THREADS"))) {
                log.warn("OPENBLAS_NUM_THREADS is not 1: OpenBLAS starts its own threads for every product, on top of Backprop's "
                        + "split, and concurrent predictions queue for them; start the JVM with OPENBLAS_NUM_THREADS=1");
            }
        } else {
            log.warn("Matrix products use {}; install OpenBLAS (Debian: libopenblas0) for 3-4x faster training of large networks",
                    Gemm.describe());
        }
    }

    /** The warning for an OpenBLAS kernel narrower than the CPU, naming the kernel to set; empty when it fits. */
    private static Optional<String> narrowKernelWarning(OpenBlasKernel kernel) {
        String cause = System.getenv("OPENBLAS_CORETYPE") == null ? "OpenBLAS does not know this CPU model" : "OPENBLAS_CORETYPE pins it";
        return KernelAdvice.betterKernel(kernel.coreName(), KernelAdvice.cpuFlags()).map(better ->
                "OpenBLAS runs its " + kernel.coreName() + " kernel, narrower than this CPU's vector instructions (" + cause
                        + "); start the service with OPENBLAS_CORETYPE=" + better
                        + " for several times faster products (README, \"Running the jar and the container\")");
    }
}
