package dev.backprop.platform.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads an array of rows of cells straight from the token stream into table cells, with the same
 * rules as {@link JsonCells#cell}: integral numbers to {@link Long}, other numbers to finite
 * {@link Double}, strings, booleans and null as they are.
 *
 * <p>Made for the predict path: a 64-row request of a 784-feature model has 50,000 cells, and going
 * through a {@code JsonNode} per cell and growing lists cell by cell took most of the request's time.
 * A value that is not a cell (a nested array or object, a number out of range) or a row that is not an
 * array is not thrown here, where its position is unknown to the caller: it is left as a
 * {@link JsonCells.CellProblem} in its place, and {@link JsonCells#checkedRows} reports every one with
 * its path in a single 400.
 */
public final class CellRowsDeserializer extends ValueDeserializer<List<List<Object>>> {

    @Override
    public List<List<Object>> deserialize(JsonParser parser, DeserializationContext context) {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            return context.reportInputMismatch(this, "expected an array of rows");
        }
        List<List<Object>> rows = new ArrayList<>();
        Object[] buffer = new Object[64];
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == JsonToken.VALUE_NULL) {
                rows.add(null);
                continue;
            }
            if (token != JsonToken.START_ARRAY) {
                parser.skipChildren();
                rows.add(List.of(JsonCells.CellProblem.NOT_A_ROW));
                continue;
            }
            int size = 0;
            for (JsonToken cell = parser.nextToken(); cell != JsonToken.END_ARRAY; cell = parser.nextToken()) {
                if (size == buffer.length) {
                    buffer = Arrays.copyOf(buffer, size * 2);
                }
                buffer[size++] = cell(parser, cell);
            }
            rows.add(Arrays.asList(Arrays.copyOf(buffer, size)));
        }
        return rows;
    }

    private static Object cell(JsonParser parser, JsonToken token) {
        switch (token) {
            case VALUE_NULL:
                return null;
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_STRING:
                return parser.getString();
            case VALUE_NUMBER_INT:
                if (parser.getNumberType() == JsonParser.NumberType.INT || parser.getNumberType() == JsonParser.NumberType.LONG) {
                    return parser.getLongValue();
                }
                double big = parser.getDoubleValue();
                return Double.isFinite(big) ? big : JsonCells.CellProblem.INTEGER_OUT_OF_RANGE;
            case VALUE_NUMBER_FLOAT:
                double value = parser.getDoubleValue();
                return Double.isFinite(value) ? value : JsonCells.CellProblem.NUMBER_OUT_OF_RANGE;
            case START_ARRAY:
                parser.skipChildren();
                return JsonCells.CellProblem.ARRAY;
            default:
                parser.skipChildren();
                return JsonCells.CellProblem.OBJECT;
        }
    }
}
