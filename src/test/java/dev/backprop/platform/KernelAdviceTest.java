package dev.backprop.platform;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KernelAdviceTest {

    private static final Set<String> AVX512 = Set.of("sse3", "avx", "avx2", "fma", "avx512f", "avx512vl", "avx512bw", "avx512dq");
    private static final Set<String> AVX2 = Set.of("sse3", "avx", "avx2", "fma");

    @Test
    void theGenericKernelOnAnAvx512CpuIsToldToNameSkylakeX() {
        // The benchmark machine of the eighth session: OpenBLAS 0.3.21 did not know its Xeon and ran Prescott.
        assertThat(KernelAdvice.betterKernel("Prescott", AVX512)).contains("SkylakeX");
        assertThat(KernelAdvice.betterKernel("Haswell", AVX512)).contains("SkylakeX");
    }

    @Test
    void theGenericKernelOnAnAvx2CpuIsToldToNameHaswell() {
        assertThat(KernelAdvice.betterKernel("Prescott", AVX2)).contains("Haswell");
        assertThat(KernelAdvice.betterKernel("Sandybridge", AVX2)).contains("Haswell");
    }

    @Test
    void aKernelAlreadyAtTheCpusWidthGetsNoAdvice() {
        assertThat(KernelAdvice.betterKernel("Cooperlake", AVX512)).isEmpty();
        assertThat(KernelAdvice.betterKernel("SKYLAKEX", AVX512)).isEmpty();
        assertThat(KernelAdvice.betterKernel("Zen", AVX2)).isEmpty();
        assertThat(KernelAdvice.betterKernel("Haswell", AVX2)).isEmpty();
    }

    @Test
    void noKernelIsAdvisedThatTheCpuCannotRun() {
        // AVX-512 F alone (no BW/DQ) is not enough for SkylakeX; without AVX2 there is nothing wider to name.
        assertThat(KernelAdvice.betterKernel("Prescott", Set.of("avx2", "fma", "avx512f"))).contains("Haswell");
        assertThat(KernelAdvice.betterKernel("Prescott", Set.of("sse3", "avx"))).isEmpty();
        assertThat(KernelAdvice.betterKernel("neoversen1", Set.of())).isEmpty();
    }

    @Test
    void theFlagsAreReadFromTheFirstProcessorOfCpuinfo() {
        String cpuinfo = """
                processor\t: 0
                model name\t: AMD EPYC
                flags\t\t: fpu sse3 avx2 fma avx512f
                bugs\t\t: sysret_ss_attrs

                processor\t: 1
                flags\t\t: fpu
                """;
        assertThat(KernelAdvice.cpuFlags(cpuinfo)).containsExactlyInAnyOrder("fpu", "sse3", "avx2", "fma", "avx512f");
        assertThat(KernelAdvice.cpuFlags("processor\t: 0\nFeatures\t: fp asimd\n")).isEmpty();
    }
}
