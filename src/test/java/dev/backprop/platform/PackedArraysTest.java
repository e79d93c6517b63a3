package dev.backprop.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Primitive arrays survive the trip through bytes bit for bit, in the byte order each stored form was written in. */
class PackedArraysTest {

    /** A quiet NaN with a payload: only a copy of the raw bits keeps it. */
    private static final double NAN_WITH_PAYLOAD = Double.longBitsToDouble(0x7FF8_0000_0000_0123L);

    private static final double[] AWKWARD = {0.1, -2.5e-300, Double.MIN_VALUE, 123456789.123456789, -0.0, 0.0,
            Double.NaN, NAN_WITH_PAYLOAD, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE};

    private static long[] bits(double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    @Test
    void doublesRoundTripThroughBase64BitForBit() {
        assertThat(bits(PackedArrays.decodeDoubles(PackedArrays.encodeDoubles(AWKWARD)))).containsExactly(bits(AWKWARD));
        assertThat(PackedArrays.decodeDoubles(PackedArrays.encodeDoubles(new double[0]))).isEmpty();
    }

    @Test
    void base64HoldsLittleEndianDoubles() {
        // 1.0 is 0x3FF0000000000000: its low byte comes first
        assertThat(PackedArrays.encodeDoubles(new double[]{1.0})).isEqualTo("AAAAAAAA8D8=");
        assertThat(PackedArrays.encodeDoubles(new double[]{-0.0})).isEqualTo("AAAAAAAAAIA=");
        assertThat(PackedArrays.decodeDoubles("AAAAAAAA8D8=")).containsExactly(1.0);
    }

    @Test
    void littleEndianFloatsReadAsNumpyWritesThem() {
        // numpy: np.array([1.0, -0.0, nan, 6.9], '<f4').tobytes()
        byte[] bytes = {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0x80, 0, 0, (byte) 0xC0, 0x7F,
                (byte) 0xCD, (byte) 0xCC, (byte) 0xDC, 0x40};
        float[] values = PackedArrays.littleEndianFloats(bytes);
        assertThat(values).hasSize(4);
        assertThat(values[0]).isEqualTo(1.0f);
        assertThat(Float.floatToRawIntBits(values[1])).isEqualTo(Float.floatToRawIntBits(-0.0f));
        assertThat(values[2]).isNaN();
        assertThat(values[3]).isEqualTo(6.9f);
    }

    @Test
    void bufferOperationsFollowTheBuffersOrderAndMoveItsPosition() {
        double[] doubles = {1.0, -0.0, NAN_WITH_PAYLOAD};
        long[] longs = {1L, -7L, (1L << 60) + 1, Long.MIN_VALUE};
        for (ByteOrder order : new ByteOrder[]{ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            ByteBuffer out = ByteBuffer.allocate(1 + doubles.length * Double.BYTES + longs.length * Long.BYTES + 1).order(order);
            out.put((byte) 9);  // values need not start at an aligned offset
            PackedArrays.putDoubles(out, doubles);
            PackedArrays.putLongs(out, longs);
            out.put((byte) 7);
            assertThat(out.remaining()).isZero();

            ByteBuffer in = ByteBuffer.wrap(out.array()).order(order);
            assertThat(in.get()).isEqualTo((byte) 9);
            assertThat(bits(PackedArrays.getDoubles(in, doubles.length))).containsExactly(bits(doubles));
            assertThat(PackedArrays.getLongs(in, longs.length)).containsExactly(longs);
            assertThat(in.get()).isEqualTo((byte) 7);
        }
        ByteBuffer bigEndian = ByteBuffer.allocate(Double.BYTES);
        PackedArrays.putDoubles(bigEndian, new double[]{1.0});
        assertThat(bigEndian.array()).containsExactly(0x3F, 0xF0, 0, 0, 0, 0, 0, 0);
    }

    /** Floats at the edges of finiteness: the largest, the smallest subnormal, negative zero, NaNs, the infinities. */
    private static final float[] EDGE_FLOATS = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0.0f, 0.0f, 1.5f, -6.9f,
            Float.MIN_NORMAL, Float.NaN, Float.intBitsToFloat(0xFFC0_0001), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

    private static byte[] littleEndian(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    @Test
    void oneDecodingPassSaysWhetherEveryValueIsFinite() {
        for (float edge : EDGE_FLOATS) {
            float[] values = {0.25f, edge, -3f};
            byte[] bytes = littleEndian(values);
            float[] floats = new float[3];
            double[] doubles = new double[3];

            boolean finite = Float.isFinite(edge);
            assertThat(PackedArrays.littleEndianFloats(bytes, floats)).as("%s", edge).isEqualTo(finite);
            assertThat(PackedArrays.littleEndianFloats(bytes, doubles)).as("%s", edge).isEqualTo(finite);
            for (int i = 0; i < 3; i++) {
                assertThat(Float.floatToRawIntBits(floats[i])).isEqualTo(Float.floatToRawIntBits(values[i]));
                if (Float.isNaN(values[i])) {
                    assertThat(doubles[i]).isNaN();  // widening keeps a NaN a NaN; its payload is the processor's business
                } else {
                    assertThat(Double.doubleToRawLongBits(doubles[i])).isEqualTo(Double.doubleToRawLongBits(values[i]));
                }
            }
        }
        assertThat(PackedArrays.littleEndianFloats(littleEndian(Float.MAX_VALUE, Float.NaN, 1f, 2f), new float[4])).isFalse();
        assertThat(PackedArrays.littleEndianFloats(littleEndian(), new float[0])).isTrue();
    }
}
