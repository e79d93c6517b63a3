package dev.backprop.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether OpenBLAS's kernel uses the widest vector instructions the CPU has, and which kernel to name in
 * {@code OPENBLAS_CORETYPE} when it does not.
 *
 * <p>The advice only ever points to a kernel the CPU can run: "SkylakeX" needs AVX-512 F, VL, BW and DQ; "Haswell"
 * needs AVX2 and FMA. A kernel already at that level (an AVX-512 kernel such as Cooperlake, or an AVX2 kernel such as
 * Zen on a CPU without AVX-512) gets none, so an OpenBLAS that knows the CPU is left alone.
 */
final class KernelAdvice {

    private static final Set<String> AVX512_KERNELS = Set.of("skylakex", "cooperlake", "sapphirerapids");
    private static final Set<String> AVX2_KERNELS = Set.of("haswell", "zen", "excavator");
    private static final Set<String> AVX512_FLAGS = Set.of("avx512f", "avx512vl", "avx512bw", "avx512dq");
    private static final Set<String> AVX2_FLAGS = Set.of("avx2", "fma");

    private KernelAdvice() {
    }

    /**
     * @param coreName the kernel OpenBLAS runs ({@link OpenBlasKernel#coreName()})
     * @param cpuFlags the CPU's feature flags as Linux names them in {@code /proc/cpuinfo}
     * @return the kernel to set in {@code OPENBLAS_CORETYPE}, when it is a wider one than {@code coreName}
     */
    static Optional<String> betterKernel(String coreName, Set<String> cpuFlags) {
        String kernel = coreName.toLowerCase(java.util.Locale.ROOT);
        if (cpuFlags.containsAll(AVX512_FLAGS)) {
            return AVX512_KERNELS.contains(kernel) ? Optional.empty() : Optional.of("SkylakeX");
        }
        if (cpuFlags.containsAll(AVX2_FLAGS)) {
            return AVX512_KERNELS.contains(kernel) || AVX2_KERNELS.contains(kernel) ? Optional.empty() : Optional.of("Haswell");
        }
        return Optional.empty();
    }

    /** The flags of the first processor in a {@code /proc/cpuinfo} text (x86's "flags" line); empty when it has none. */
    static Set<String> cpuFlags(String cpuinfo) {
        return cpuinfo.lines()
                .filter(line -> line.startsWith("flags") && line.indexOf(':') > 0)
                .findFirst()
                .map(line -> Arrays.stream(line.substring(line.indexOf(':') + 1).trim().split("\\s+"))
                        .collect(Collectors.toUnmodifiableSet()))
                .orElse(Set.of());
    }

    /** This machine's CPU flags; empty where {@code /proc/cpuinfo} cannot be read (not Linux). */
    static Set<String> cpuFlags() {
        try {
            return cpuFlags(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException unreadable) {
            return Set.of();
        }
    }
}
