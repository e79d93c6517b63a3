package dev.backprop.model.serving.web;

import dev.backprop.model.ModelInput;
import dev.backprop.model.Predictions;
import dev.backprop.platform.ApiException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Open Inference Protocol v2 tensors to model rows and predictions back to tensors. Input data may be flat
 * (row-major) or nested as the shape; each value must fit its datatype, a FP32 value is rounded to float as
 * the client's float32 array held it.
 */
final class KServeTensors {

    static final String FEATURES = "features";
    static final String LABEL = "label";
    static final String PROBABILITIES = "probabilities";
    static final String VALUE = "value";

    private static final String BINARY_DATA = "the binary tensor data extension is not supported; send tensor data as JSON";
    private static final Set<String> INTEGERS = Set.of("INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64");

    private KServeTensors() {
    }

    /**
     * @param float32   every input was FP32, so the outputs are too
     * @param requested the output names asked for, or null for all
     * @param threshold the request's {@code threshold} parameter, or null
     */
    record Decoded(ModelInput input, boolean float32, Set<String> requested, Double threshold) {
    }

    record Output(String name, List<Long> shape, String datatype, List<Object> data) {
    }

    static Decoded decode(JsonNode body, List<String> features) {
        JsonNode inputs = body.get("inputs");
        if (!body.isObject() || inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw ApiException.invalid("inputs", "an inference request needs a non-empty 'inputs' array of tensors");
        }
        Double threshold = requestParameters(body.get("parameters"));
        boolean float32 = true;
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        List<List<Object>> rows = null;
        for (int t = 0; t < inputs.size(); t++) {
            JsonNode tensor = inputs.get(t);
            String field = "inputs[" + t + "]";
            String name = text(tensor, "name", field);
            String datatype = text(tensor, "datatype", field);
            inputParameters(tensor.get("parameters"), datatype, field + ".parameters");
            float32 &= datatype.equals("FP32");
            List<Long> shape = shape(tensor, field);
            List<Object> data = new ArrayList<>();
            flatten(tensor.get("data"), datatype, field + ".data", data);
            long size = shape.stream().reduce(1L, (a, b) -> a * b);
            if (size != data.size()) {
                throw ApiException.invalid(field + ".data", "holds " + data.size() + " values; shape " + shape + " needs " + size);
            }
            if (inputs.size() == 1 && shape.size() == 2 && shape.get(1) == features.size() && !features.contains(name)) {
                int width = features.size();
                rows = new ArrayList<>();
                for (int r = 0; r < shape.get(0); r++) {
                    rows.add(new ArrayList<>(data.subList(r * width, (r + 1) * width)));
                }
            } else if (!features.contains(name)) {
                throw ApiException.invalid(field + ".name", "'" + name + "' is no feature of the model; send one tensor [N, "
                        + features.size() + "] or one tensor per feature of " + features);
            } else if (shape.size() > 2 || shape.size() == 2 && shape.get(1) != 1) {
                throw ApiException.invalid(field + ".shape", "a feature's tensor is [N] or [N, 1], got " + shape);
            } else {
                columns.put(name, data);
            }
        }
        ModelInput input = rows != null ? new ModelInput(rows, null, null) : new ModelInput(null, records(columns, features), null);
        return new Decoded(input, float32, requested(body.get("outputs")), threshold);
    }

    /**
     * The request's parameters: {@code threshold} (a two-class model's decision threshold, as predict's), and the
     * binary data extension's {@code binary_data_output} and KServe's {@code content_type} ({@code pd}: the inputs
     * are a data frame's columns, which one tensor per feature already is) where they change nothing. Any other
     * parameter is an error rather than ignored, so that a client learns its option had no effect.
     */
    private static Double requestParameters(JsonNode parameters) {
        Map<String, JsonNode> values = parameters(parameters, "parameters");
        Double threshold = null;
        for (Map.Entry<String, JsonNode> parameter : values.entrySet()) {
            String field = "parameters." + parameter.getKey();
            JsonNode value = parameter.getValue();
            switch (parameter.getKey()) {
                case "threshold" -> {
                    if (!value.isNumber() || !(value.asDouble() >= 0 && value.asDouble() <= 1)) {
                        throw ApiException.invalid(field, "is a probability from 0 to 1, at or above which a two-class model "
                                + "predicts its second class; got " + value);
                    }
                    threshold = value.asDouble();
                }
                case "binary_data_output" -> requireNoBinaryData(value, field);
                case "content_type" -> requireText(value, field, "pd");
                default -> throw unknown(field, List.of("threshold", "binary_data_output", "content_type"));
            }
        }
        return threshold;
    }

    /** An input tensor's parameters: {@code content_type} {@code str} on a BYTES tensor, which is how it is read. */
    private static void inputParameters(JsonNode parameters, String datatype, String field) {
        for (Map.Entry<String, JsonNode> parameter : parameters(parameters, field).entrySet()) {
            String name = field + "." + parameter.getKey();
            switch (parameter.getKey()) {
                case "content_type" -> {
                    if (!datatype.equals("BYTES")) {
                        throw ApiException.invalid(name, "applies to a BYTES tensor; this one is " + datatype);
                    }
                    requireText(parameter.getValue(), name, "str");
                }
                case "binary_data_size" -> throw ApiException.invalid(name, BINARY_DATA);
                default -> throw unknown(name, List.of("content_type"));
            }
        }
    }

    /** A requested output's parameters: the binary data extension's {@code binary_data}, false. */
    private static void outputParameters(JsonNode parameters, String field) {
        for (Map.Entry<String, JsonNode> parameter : parameters(parameters, field).entrySet()) {
            String name = field + "." + parameter.getKey();
            if (!parameter.getKey().equals("binary_data")) {
                throw unknown(name, List.of("binary_data"));
            }
            requireNoBinaryData(parameter.getValue(), name);
        }
    }

    /** A {@code $parameters} object: each value a string, a number or a boolean, as the protocol defines it. */
    private static Map<String, JsonNode> parameters(JsonNode parameters, String field) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        if (parameters == null || parameters.isNull()) {
            return values;
        }
        if (!parameters.isObject()) {
            throw ApiException.invalid(field, "is an object of parameters, got " + parameters);
        }
        for (Map.Entry<String, JsonNode> parameter : parameters.properties()) {
            JsonNode value = parameter.getValue();
            if (!value.isString() && !value.isNumber() && !value.isBoolean()) {
                throw ApiException.invalid(field + "." + parameter.getKey(), "a parameter's value is a string, a number or a "
                        + "boolean, got " + value);
            }
            values.put(parameter.getKey(), value);
        }
        return values;
    }

    private static void requireNoBinaryData(JsonNode value, String field) {
        if (!value.isBoolean()) {
            throw ApiException.invalid(field, "is a boolean, got " + value);
        }
        if (value.asBoolean()) {
            throw ApiException.invalid(field, BINARY_DATA);
        }
    }

    private static void requireText(JsonNode value, String field, String expected) {
        if (!value.isString() || !value.asString().equals(expected)) {
            throw ApiException.invalid(field, "can only be '" + expected + "' here, got " + value);
        }
    }

    private static ApiException unknown(String field, List<String> known) {
        return ApiException.invalid(field, "is no parameter this server knows; it knows " + known);
    }

    private static List<Map<String, Object>> records(Map<String, List<Object>> columns, List<String> features) {
        for (String feature : features) {
            if (!columns.containsKey(feature)) {
                throw ApiException.invalid("inputs", "no tensor for the feature '" + feature + "'; the model reads " + features);
            }
        }
        int count = columns.get(features.get(0)).size();
        List<Map<String, Object>> records = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (Map.Entry<String, List<Object>> column : columns.entrySet()) {
                if (column.getValue().size() != count) {
                    throw ApiException.invalid("inputs", "the feature tensors hold different numbers of rows");
                }
                record.put(column.getKey(), column.getValue().get(r));
            }
            records.add(record);
        }
        return records;
    }

    private static Set<String> requested(JsonNode outputs) {
        if (outputs == null || outputs.isNull()) {
            return null;
        }
        Set<String> names = new HashSet<>();
        for (int o = 0; o < outputs.size(); o++) {
            String name = text(outputs.get(o), "name", "outputs[" + o + "]");
            outputParameters(outputs.get(o).get("parameters"), "outputs[" + o + "].parameters");
            if (!List.of(LABEL, PROBABILITIES, VALUE).contains(name)) {
                throw ApiException.invalid("outputs[" + o + "].name", "unknown output '" + name + "'; a classifier has '" + LABEL
                        + "' and '" + PROBABILITIES + "', a regression '" + VALUE + "'");
            }
            names.add(name);
        }
        return names;
    }

    private static String text(JsonNode node, String key, String field) {
        JsonNode value = node == null ? null : node.get(key);
        if (value == null || !value.isString()) {
            throw ApiException.invalid(field + "." + key, "needs a string");
        }
        return value.asString();
    }

    private static List<Long> shape(JsonNode tensor, String field) {
        JsonNode shape = tensor.get("shape");
        if (shape == null || !shape.isArray() || shape.isEmpty()) {
            throw ApiException.invalid(field + ".shape", "needs an array of dimensions");
        }
        List<Long> dims = new ArrayList<>();
        for (JsonNode dim : shape) {
            if (!dim.isIntegralNumber() || dim.asLong() < 0) {
                throw ApiException.invalid(field + ".shape", "dimensions are non-negative integers, got " + shape);
            }
            dims.add(dim.asLong());
        }
        return dims;
    }

    private static void flatten(JsonNode data, String datatype, String field, List<Object> into) {
        if (data == null || !data.isArray()) {
            throw ApiException.invalid(field, "needs an array of values");
        }
        for (JsonNode value : data) {
            if (value.isArray()) {
                flatten(value, datatype, field, into);
            } else {
                into.add(value(value, datatype, field));
            }
        }
    }

    private static Object value(JsonNode value, String datatype, String field) {
        switch (datatype) {
            case "FP32", "FP64" -> {
                if (!value.isNumber()) {
                    throw ApiException.invalid(field, datatype + " values are numbers, got " + value);
                }
                return datatype.equals("FP32") ? (double) (float) value.asDouble() : value.asDouble();
            }
            case "BYTES" -> {
                if (!value.isString()) {
                    throw ApiException.invalid(field, "BYTES values are strings, got " + value);
                }
                return value.asString();
            }
            case "BOOL" -> {
                if (!value.isBoolean()) {
                    throw ApiException.invalid(field, "BOOL values are booleans, got " + value);
                }
                return value.asBoolean();
            }
            default -> {
                if (!INTEGERS.contains(datatype)) {
                    throw ApiException.invalid(field, "unsupported datatype '" + datatype + "'; use FP32, FP64, INT8 to INT64, "
                            + "UINT8 to UINT64, BOOL or BYTES");
                }
                if (!value.isIntegralNumber()) {
                    throw ApiException.invalid(field, datatype + " values are integers, got " + value);
                }
                return value.asLong();
            }
        }
    }

    /** The output tensors of predictions, in FP32 or FP64. */
    static List<Output> outputs(Predictions predictions, boolean float32) {
        String floats = float32 ? "FP32" : "FP64";
        long count = predictions.rows().size();
        if (predictions.labels() == null) {
            List<Object> values = new ArrayList<>();
            predictions.rows().forEach(row -> values.add(float32 ? (Object) (float) (double) row.value() : row.value()));
            return List.of(new Output(VALUE, List.of(count, 1L), floats, values));
        }
        List<Object> labels = new ArrayList<>();
        List<Object> probabilities = new ArrayList<>();
        for (Predictions.Row row : predictions.rows()) {
            labels.add(String.valueOf(row.label()));
            for (double p : row.probabilities()) {
                probabilities.add(float32 ? (Object) (float) p : p);
            }
        }
        return List.of(new Output(LABEL, List.of(count), "BYTES", labels),
                new Output(PROBABILITIES, List.of(count, (long) predictions.labels().size()), floats, probabilities));
    }
}
