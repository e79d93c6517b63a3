package dev.backprop.platform;

import dev.backprop.nn.Gemm;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class OpenBlasKernelTest {

    @Test
    void theSystemBlasNamesItsKernelExactlyWhenItIsOpenBlas() throws IOException {
        assumeTrue(Gemm.usesNativeBlas(), "no native BLAS on this machine");
        // Told apart independently of JNA: which shared object the process has mapped since the native BLAS loaded.
        boolean openBlasLoaded = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .anyMatch(mapping -> mapping.toLowerCase(java.util.Locale.ROOT).contains("openblas"));

        Optional<OpenBlasKernel> kernel = OpenBlasKernel.ofSystemBlas();

        if (openBlasLoaded) {
            assertThat(kernel).hasValueSatisfying(k -> {
                assertThat(k.config()).startsWith("OpenBLAS ");
                assertThat(k.coreName()).isNotBlank();
                assertThat(k.config()).containsIgnoringCase(k.coreName());
            });
        } else {
            assertThat(kernel).isEmpty();
        }
    }
}
