package dev.backprop.model;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.backprop.nn.Precision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The nodes and initializers of one ONNX graph under construction, with its real numbers in one element
 * type (float64 or float32): {@link #reals} narrows a value to float32 as the engine's float32 copies do
 * ({@code (float) v}, round to nearest), so a float32 graph multiplies by the very weights the service does.
 */
final class OnnxGraph {

    /** The domain of LabelEncoder. */
    static final String ML_DOMAIN = "ai.onnx.ml";

    private final Precision precision;
    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private int names;

    OnnxGraph(Precision precision) {
        this.precision = precision;
    }

    /** FLOAT or DOUBLE, the element type of every real tensor of the graph. */
    TensorProto.DataType realType() {
        return precision == Precision.FLOAT32 ? TensorProto.DataType.FLOAT : TensorProto.DataType.DOUBLE;
    }

    List<NodeProto> nodes() {
        return nodes;
    }

    List<TensorProto> initializers() {
        return initializers;
    }

    /** Adds a node of the default domain; returns the name of its one output. */
    String node(String op, List<String> inputs, AttributeProto... attributes) {
        return node("", op, inputs, attributes);
    }

    String node(String domain, String op, List<String> inputs, AttributeProto... attributes) {
        String output = name(op);
        nodes.add(NodeProto.newBuilder().setDomain(domain).setOpType(op).setName(output).addAllInput(inputs).addOutput(output)
                .addAllAttribute(List.of(attributes)).build());
        return output;
    }

    /** Names a value as a graph output. */
    void output(String value, String name) {
        nodes.add(NodeProto.newBuilder().setOpType("Identity").setName(name).addInput(value).addOutput(name).build());
    }

    /**
     * A name for an intermediate value. The colon keeps it apart from the graph's inputs and outputs, which
     * are identifiers ({@link OnnxExport#inputName}).
     */
    private String name(String base) {
        return base + ":" + names++;
    }

    /** A real initializer of the given shape, little-endian raw data as ONNX stores it. */
    String reals(String base, double[] values, int... dims) {
        ByteBuffer raw;
        if (precision == Precision.FLOAT32) {
            raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (double value : values) {
                raw.putFloat((float) value);
            }
        } else {
            raw = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            raw.asDoubleBuffer().put(values);
        }
        return initializer(TensorProto.newBuilder().setDataType(realType().getNumber()).setRawData(ByteString.copyFrom(raw.array())),
                base, dims);
    }

    String scalar(String base, double value) {
        return reals(base, new double[]{value});
    }

    String longs(String base, long[] values, int... dims) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64.getNumber());
        for (long value : values) {
            tensor.addInt64Data(value);
        }
        return initializer(tensor, base, dims);
    }

    String strings(String base, List<String> values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDataType(TensorProto.DataType.STRING.getNumber());
        for (String value : values) {
            tensor.addStringData(ByteString.copyFrom(value, StandardCharsets.UTF_8));
        }
        return initializer(tensor, base, values.size());
    }

    private String initializer(TensorProto.Builder tensor, String base, int... dims) {
        tensor.setName(name(base));
        for (int dim : dims) {
            tensor.addDims(dim);
        }
        initializers.add(tensor.build());
        return tensor.getName();
    }

    static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto intsAttribute(String name, long[] values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long value : values) {
            attribute.addInts(value);
        }
        return attribute.build();
    }

    static AttributeProto stringsAttribute(String name, List<String> values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
        for (String value : values) {
            attribute.addStrings(ByteString.copyFrom(value, StandardCharsets.UTF_8));
        }
        return attribute.build();
    }

    /** A tensor of {@code type} shaped {@code [N, dims…]}, N the batch. */
    static OnnxMl.ValueInfoProto tensorInfo(String name, TensorProto.DataType type, String doc, int... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (int dim : dims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setDocString(doc).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }
}
