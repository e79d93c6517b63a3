package dev.backprop.bench;

import dev.backprop.data.FeaturePipeline;
import dev.backprop.platform.PackedArrays;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The CPU time of turning a 64-row float32 predict body of T4's 784 features into the network's input: for a float32
 * model (float32 values; the bulk copy and a check against one loop over the bytes) and for a float64 one (decoding,
 * then the pipeline's widening and check, against one widening pass), each the median thread CPU time of the second
 * half of {@code REPEATS} calls. Not a test:
 * {@code java -cp … Float32BodyProbe [REPEATS]}, printed as JSON lines.
 */
public final class Float32BodyProbe {

    private Float32BodyProbe() {
    }

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rows = 64;
        int width = 784;
        SplittableRandom random = new SplittableRandom(6);
        ByteBuffer buffer = ByteBuffer.allocate(rows * width * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows * width; i++) {
            buffer.putFloat((float) (Math.rint(random.nextGaussian() * 10_000) / 10_000));
        }
        byte[] body = buffer.array();
        List<FeaturePipeline.ColumnStep> steps = new ArrayList<>();
        for (int f = 0; f < width; f++) {
            steps.add(new FeaturePipeline.NumericStep("x" + f, "none", 0, 1, 0.0));
        }
        FeaturePipeline identity = new FeaturePipeline(steps);
        measure("float32 model, bulk decode, then a check loop over the floats (before and after)", repeats, b -> {
            float[] values = new float[rows * width];
            return PackedArrays.littleEndianFloats(b, values) ? values[7] : 0;
        }, body);
        measure("float32 model, one loop over the bytes' bits (tried, slower)", repeats, b -> {
            float[] values = new float[rows * width];
            return oneLoop(b, values) ? values[7] : 0;
        }, body);
        measure("float64 model, decode then transformNumeric (before)", repeats,
                b -> identity.transformNumeric(PackedArrays.littleEndianFloats(b), rows, (r, f) -> "body")[7], body);
        measure("float64 model, one pass (after)", repeats, b -> {
            double[] values = new double[rows * width];
            return PackedArrays.littleEndianFloats(b, values) ? values[7] : 0;
        }, body);
    }

    private static final java.lang.invoke.VarHandle INTS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);

    private static boolean oneLoop(byte[] bytes, float[] into) {
        int infinite = 0;
        for (int i = 0; i < into.length; i++) {
            int bits = (int) INTS.get(bytes, i * Float.BYTES);
            into[i] = Float.intBitsToFloat(bits);
            infinite |= (bits & 0x7f80_0000) + 0x0080_0000;
        }
        return infinite >= 0;
    }

    private static void measure(String label, int repeats, ToDoubleFunction<byte[]> decode, byte[] body) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] nanos = new long[repeats];
        double checksum = 0;
        for (int i = 0; i < repeats; i++) {
            long start = threads.getCurrentThreadCpuTime();
            checksum += decode.applyAsDouble(body);
            nanos[i] = threads.getCurrentThreadCpuTime() - start;
        }
        long[] lastHalf = Arrays.copyOfRange(nanos, repeats / 2, repeats);
        Arrays.sort(lastHalf);
        System.out.printf(Locale.ROOT, "{\"probe\": \"%s\", \"median_cpu_us\": %.1f, \"checksum\": %.4f}%n", label,
                lastHalf[lastHalf.length / 2] / 1e3, checksum / repeats);
    }
}
