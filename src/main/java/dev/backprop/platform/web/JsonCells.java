package dev.backprop.platform.web;

import dev.backprop.platform.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Converts JSON values of data rows into table cells: integral numbers to {@link Long}, other numbers
 * to finite {@link Double}, strings, booleans and null as they are. A number that overflows a double
 * (such as {@code 1e400}), an array or an object is reported with its path, never coerced.
 */
public final class JsonCells {

    private JsonCells() {
    }

    /** Collects the problems of one conversion; stops recording after {@link #MAX_ERRORS}. */
    public static final class Errors {
        static final int MAX_ERRORS = 20;
        private final List<ApiException.FieldError> errors = new ArrayList<>();

        void add(String field, String message) {
            if (errors.size() < MAX_ERRORS) {
                errors.add(new ApiException.FieldError(field, message));
            }
        }

        public boolean isEmpty() {
            return errors.isEmpty();
        }

        /** Throws a 400 listing the problems, if any. */
        public void throwIfAny() {
            if (!errors.isEmpty()) {
                throw ApiException.validation(errors);
            }
        }
    }

    public static Errors errors() {
        return new Errors();
    }

    /** One cell. */
    public static Object cell(JsonNode node, String path, Errors errors) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                return node.asLong();
            }
            double value = node.asDouble();
            if (!Double.isFinite(value)) {
                errors.add(path, "number out of range");
                return null;
            }
            return value;
        }
        if (node.isNumber()) {
            double value = node.asDouble();
            if (!Double.isFinite(value)) {
                errors.add(path, "number out of range (must be finite)");
                return null;
            }
            return value;
        }
        if (node.isString()) {
            return node.stringValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        errors.add(path, "expected a number, a string, a boolean or null, got " + (node.isArray() ? "an array" : "an object"));
        return null;
    }

    /** Rows of cells; a null row is reported. */
    public static List<List<Object>> rows(List<List<JsonNode>> rows, String path, Errors errors) {
        List<List<Object>> converted = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            List<JsonNode> row = rows.get(r);
            if (row == null) {
                errors.add(path + "[" + r + "]", "must be an array of values");
                converted.add(List.of());
                continue;
            }
            List<Object> cells = new ArrayList<>(row.size());
            for (int c = 0; c < row.size(); c++) {
                cells.add(cell(row.get(c), path + "[" + r + "][" + c + "]", errors));
            }
            converted.add(cells);
        }
        return converted;
    }

    /** A list of single values. */
    public static List<Object> values(List<JsonNode> values, String path, Errors errors) {
        List<Object> converted = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            converted.add(cell(values.get(i), path + "[" + i + "]", errors));
        }
        return converted;
    }

    /** Records keyed by column name. */
    public static List<Map<String, Object>> records(List<Map<String, JsonNode>> records, String path, Errors errors) {
        List<Map<String, Object>> converted = new ArrayList<>(records.size());
        for (int r = 0; r < records.size(); r++) {
            Map<String, JsonNode> record = records.get(r);
            if (record == null) {
                errors.add(path + "[" + r + "]", "must be an object");
                converted.add(Map.of());
                continue;
            }
            Map<String, Object> cells = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : record.entrySet()) {
                cells.put(entry.getKey(), cell(entry.getValue(), path + "[" + r + "]." + entry.getKey(), errors));
            }
            converted.add(cells);
        }
        return converted;
    }
}
