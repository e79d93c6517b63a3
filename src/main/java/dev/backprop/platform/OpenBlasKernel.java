package dev.backprop.platform;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

import java.util.Optional;

/**
 * The kernel the loaded OpenBLAS picked for this CPU, asked of the library itself.
 *
 * <p>OpenBLAS built for many CPUs (Debian's is) chooses its kernel when it loads, from the CPU's model, and falls back
 * to a generic one for a model it does not know: version 0.3.21 ran its SSE3 "Prescott" kernel on an AVX-512 Xeon of
 * the benchmark machines, a fifth of the speed its "SkylakeX" kernel reached there (bench/NOTES.md). Nothing fails;
 * only the startup report can tell.
 *
 * @param coreName what {@code openblas_get_corename()} answers, e.g. {@code Cooperlake}, {@code Haswell}, {@code Prescott}
 * @param config what {@code openblas_get_config()} answers, e.g. {@code OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64}
 */
record OpenBlasKernel(String coreName, String config) {

    /** The name under which Backprop's native BLAS (netlib's JNI binding) finds the system BLAS. */
    private static final String SYSTEM_BLAS = "libblas.so.3";

    /**
     * Asks the system BLAS for its kernel. Call it after the native BLAS has loaded, so that this is the library in use:
     * opening it again by its name returns the same loaded library.
     *
     * @return empty when the system BLAS is not OpenBLAS (no {@code openblas_get_corename}), or cannot be opened
     */
    static Optional<OpenBlasKernel> ofSystemBlas() {
        try {
            NativeLibrary blas = NativeLibrary.getInstance(SYSTEM_BLAS);
            return Optional.of(new OpenBlasKernel(answer(blas, "openblas_get_corename"), answer(blas, "openblas_get_config")));
        } catch (LinkageError | RuntimeException notOpenBlas) {
            // UnsatisfiedLinkError: another BLAS (the reference one has neither function), or no JNA stub for this platform.
            return Optional.empty();
        }
    }

    private static String answer(NativeLibrary library, String functionName) {
        Function function = library.getFunction(functionName);
        String text = function.invokeString(new Object[0], false);
        return text == null ? "" : text.trim();
    }
}
