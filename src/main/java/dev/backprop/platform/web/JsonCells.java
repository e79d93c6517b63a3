package dev.backprop.platform.web;

import dev.backprop.platform.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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

        /** Records a problem, unless {@link #MAX_ERRORS} are recorded already. */
        public void add(String field, String message) {
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
        return cell(node, () -> path, errors);
    }

    /**
     * One cell, with the path of a problem built only when there is one: a 64-row prediction of a
     * 784-feature model has 50,000 cells, and concatenating a path for each of them took more time
     * than parsing the request (JFR).
     */
    private static Object cell(JsonNode node, Supplier<String> path, Errors errors) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                return node.asLong();
            }
            double value = node.asDouble();
            if (!Double.isFinite(value)) {
                errors.add(path.get(), "number out of range");
                return null;
            }
            return value;
        }
        if (node.isNumber()) {
            double value = node.asDouble();
            if (!Double.isFinite(value)) {
                errors.add(path.get(), "number out of range (must be finite)");
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
        errors.add(path.get(), "expected a number, a string, a boolean or null, got " + (node.isArray() ? "an array" : "an object"));
        return null;
    }

    /**
     * A JSON value that is not a cell, or a row that is not an array, as a predict body's reader finds
     * them; the messages are those of {@link #cell} and {@link #rows}.
     */
    public enum CellProblem {
        INTEGER_OUT_OF_RANGE("number out of range"),
        NUMBER_OUT_OF_RANGE("number out of range (must be finite)"),
        ARRAY("expected a number, a string, a boolean or null, got an array"),
        OBJECT("expected a number, a string, a boolean or null, got an object"),
        NOT_A_ROW("must be an array of values");

        private final String message;

        CellProblem(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
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
                int rowIndex = r, columnIndex = c;
                cells.add(cell(row.get(c), () -> path + "[" + rowIndex + "][" + columnIndex + "]", errors));
            }
            converted.add(cells);
        }
        return converted;
    }

    /** A list of single values. */
    public static List<Object> values(List<JsonNode> values, String path, Errors errors) {
        List<Object> converted = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            int index = i;
            converted.add(cell(values.get(i), () -> path + "[" + index + "]", errors));
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
                int row = r;
                cells.put(entry.getKey(), cell(entry.getValue(), () -> path + "[" + row + "]." + entry.getKey(), errors));
            }
            converted.add(cells);
        }
        return converted;
    }
}
