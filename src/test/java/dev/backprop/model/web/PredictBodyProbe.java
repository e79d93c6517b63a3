package dev.backprop.model.web;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CPU time of reading one 64-row predict body of T4's 784 features ({@code {"instances": …}}, numbers of four
 * decimals as in {@code t4.csv}) into {@link PredictBody}, as the controller does: {@code REPEATS} reads, the median
 * thread CPU time of the second half printed as a JSON line. Not a test: {@code java -cp … PredictBodyProbe [REPEATS]}.
 */
public final class PredictBodyProbe {

    private PredictBodyProbe() {
    }

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 4_000;
        SplittableRandom random = new SplittableRandom(42);
        StringBuilder body = new StringBuilder("{\"instances\": [");
        for (int r = 0; r < 64; r++) {
            body.append(r == 0 ? "[" : ", [");
            for (int c = 0; c < 784; c++) {
                body.append(c == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", random.nextGaussian()));
            }
            body.append(']');
        }
        byte[] bytes = body.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        JsonMapper json = JsonMapper.builder().build();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] micros = new long[repeats];
        double checksum = 0;
        for (int i = 0; i < repeats; i++) {
            long start = threads.getCurrentThreadCpuTime();
            PredictBody read = json.readValue(bytes, PredictBody.class);
            micros[i] = (threads.getCurrentThreadCpuTime() - start) / 1_000;
            checksum += read.instances().rowCount();
        }
        long[] lastHalf = Arrays.copyOfRange(micros, repeats / 2, repeats);
        Arrays.sort(lastHalf);
        System.out.printf(Locale.ROOT, "{\"probe\": \"64-row JSON body read\", \"bytes\": %d, \"median_cpu_us\": %d, \"rows\": %.0f}%n",
                bytes.length, lastHalf[lastHalf.length / 2], checksum / repeats);
    }
}
