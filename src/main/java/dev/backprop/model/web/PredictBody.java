package dev.backprop.model.web;

import dev.backprop.data.NumberScan;
import dev.backprop.model.InputColumns;
import dev.backprop.platform.web.JsonCells;
import dev.backprop.platform.web.JsonCells.CellProblem;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * A predict request's JSON body (documented as {@link PredictRequest}), read by {@link Reader} from the token
 * stream straight into {@link InputColumns}: no tree, no list per row, no boxed number.
 *
 * @param instances rows as arrays, or null
 * @param records   rows as records, or null
 * @param errors    the cells and rows that are not cells or rows, with their paths; reported before the model is called
 */
@JsonDeserialize(using = PredictBody.Reader.class)
record PredictBody(InputColumns instances, InputColumns records, JsonCells.Errors errors) {

    /**
     * Reads {@code {"instances": [[…], …]}} or {@code {"records": [{…}, …]}} with the rules of
     * {@link JsonCells#cell}: integral numbers, other finite numbers, strings, booleans and null are cells; a number
     * that overflows a double, an array or an object is a problem named by its path ({@code instances[0][1]},
     * {@code records[2].age}), as is a row that is not an array or a record that is not an object. Problems are
     * collected rather than thrown, so that one 400 lists them all; an unknown property or a malformed body is
     * Jackson's error, answered as every other body's.
     */
    static final class Reader extends ValueDeserializer<PredictBody> {

        @Override
        public PredictBody deserialize(JsonParser parser, DeserializationContext context) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                return context.reportInputMismatch(PredictBody.class, "expected an object");
            }
            JsonCells.Errors errors = JsonCells.errors();
            InputColumns instances = null;
            InputColumns records = null;
            for (JsonToken token = parser.nextToken(); token == JsonToken.PROPERTY_NAME; token = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                try {
                    switch (name) {
                        case "instances" -> instances = value == JsonToken.VALUE_NULL ? null : instances(parser, context, errors);
                        case "records" -> records = value == JsonToken.VALUE_NULL ? null : records(parser, context, errors);
                        default -> throw UnrecognizedPropertyException.from(parser, PredictBody.class, name,
                                List.of("instances", "records"));
                    }
                } catch (DatabindException e) {
                    e.prependPath(PredictBody.class, name);
                    throw e;
                }
            }
            return new PredictBody(instances, records, errors);
        }

        /** One row of a list: its first token is current, and {@code row} its index. */
        @FunctionalInterface
        private interface RowReader {
            void read(JsonToken first, int row);
        }

        /** A list of rows ({@code what} names it in the mismatch), each started in {@code rows} and read by {@code reader}. */
        private static InputColumns rows(JsonParser parser, DeserializationContext context, InputColumns rows, String what,
                                         RowReader reader) {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                return context.reportInputMismatch(List.class, "expected an array of " + what);
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                rows.startRow();
                reader.read(token, rows.rowCount() - 1);
            }
            return rows;
        }

        private static InputColumns instances(JsonParser parser, DeserializationContext context, JsonCells.Errors errors) {
            InputColumns rows = InputColumns.instances();
            return rows(parser, context, rows, "rows", (token, row) -> {
                if (token != JsonToken.START_ARRAY) {
                    parser.skipChildren();
                    errors.add("instances[" + row + "]", CellProblem.NOT_A_ROW.message());
                    return;
                }
                int position = 0;
                for (JsonToken cell = parser.nextToken(); cell != JsonToken.END_ARRAY; cell = parser.nextToken(), position++) {
                    int column = rows.column(position);
                    CellProblem problem = column < 0 ? skip(parser) : cell(parser, cell, rows, column);
                    if (problem != null) {
                        errors.add("instances[" + row + "][" + position + "]", problem.message());
                    }
                }
                rows.endRow(position);
            });
        }

        private static InputColumns records(JsonParser parser, DeserializationContext context, JsonCells.Errors errors) {
            InputColumns rows = InputColumns.records();
            return rows(parser, context, rows, "records", (token, row) -> {
                if (token != JsonToken.START_OBJECT) {
                    parser.skipChildren();
                    errors.add("records[" + row + "]", "must be an object");
                    return;
                }
                for (JsonToken key = parser.nextToken(); key == JsonToken.PROPERTY_NAME; key = parser.nextToken()) {
                    String name = parser.currentName();
                    int column = rows.column(name);
                    JsonToken cell = parser.nextToken();
                    CellProblem problem = column < 0 ? skip(parser) : cell(parser, cell, rows, column);
                    if (problem != null) {
                        errors.add("records[" + row + "]." + name, problem.message());
                    }
                    if (column < 0) {
                        errors.add("records[" + row + "]." + name, "unknown column: a record names at most "
                                + InputColumns.MAX_COLUMNS + " columns");
                    }
                }
            });
        }

        /** Writes one cell into its column; returns its problem, or null when it is a cell. */
        private static CellProblem cell(JsonParser parser, JsonToken token, InputColumns rows, int column) {
            switch (token) {
                case VALUE_NUMBER_FLOAT -> {
                    // Most numbers take Clinger's exact fast path on the token's characters (no string made); the rest
                    // Jackson's parser, which gives the same double (both round correctly).
                    double value = NumberScan.exactDecimal(parser.getStringCharacters(), parser.getStringOffset(),
                            parser.getStringLength());
                    if (Double.isNaN(value)) {
                        value = parser.getDoubleValue();
                    }
                    if (!Double.isFinite(value)) {
                        rows.missing(column);
                        return CellProblem.NUMBER_OUT_OF_RANGE;
                    }
                    rows.number(column, value);
                    return null;
                }
                case VALUE_NUMBER_INT -> {
                    JsonParser.NumberType type = parser.getNumberType();
                    if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                        rows.integer(column, parser.getLongValue());
                        return null;
                    }
                    double big = parser.getDoubleValue();
                    if (!Double.isFinite(big)) {
                        rows.missing(column);
                        return CellProblem.INTEGER_OUT_OF_RANGE;
                    }
                    rows.number(column, big);
                    return null;
                }
                case VALUE_STRING -> rows.other(column, parser.getString());
                case VALUE_TRUE -> rows.other(column, Boolean.TRUE);
                case VALUE_FALSE -> rows.other(column, Boolean.FALSE);
                case VALUE_NULL -> rows.missing(column);
                case START_ARRAY -> {
                    parser.skipChildren();
                    rows.missing(column);
                    return CellProblem.ARRAY;
                }
                default -> {
                    parser.skipChildren();
                    rows.missing(column);
                    return CellProblem.OBJECT;
                }
            }
            return null;
        }

        /** Skips a cell beyond {@link InputColumns#MAX_COLUMNS}: its row is too wide for any model, and says so. */
        private static CellProblem skip(JsonParser parser) {
            parser.skipChildren();
            return null;
        }
    }
}
