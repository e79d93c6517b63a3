package dev.backprop.dataset.web;

import dev.backprop.data.ColumnType;
import dev.backprop.data.CsvReader;
import dev.backprop.data.Delimiter;
import dev.backprop.platform.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The query parameters of a CSV upload, {@code ?delimiter=} and {@code ?columnTypes=}, as reader options. */
final class CsvUploadOptions {

    private CsvUploadOptions() {
    }

    /** @throws ApiException a 400 naming the parameter and what is wrong with it */
    static CsvReader.Options parse(String delimiter, String columnTypes) {
        List<ApiException.FieldError> errors = new ArrayList<>();
        Delimiter separator = null;
        if (delimiter != null && !delimiter.isEmpty()) {
            try {
                separator = Delimiter.named(delimiter);
            } catch (IllegalArgumentException e) {
                errors.add(new ApiException.FieldError("delimiter", e.getMessage()));
            }
        }
        Map<String, ColumnType> types = new LinkedHashMap<>();
        if (columnTypes != null && !columnTypes.isBlank()) {
            for (String pair : columnTypes.split(",")) {
                int colon = pair.lastIndexOf(':');
                String column = colon < 0 ? "" : pair.substring(0, colon).strip();
                if (column.isEmpty()) {
                    errors.add(new ApiException.FieldError("columnTypes", "'" + pair + "' is not column:type"));
                    continue;
                }
                try {
                    if (types.put(column, ColumnType.named(pair.substring(colon + 1).strip())) != null) {
                        errors.add(new ApiException.FieldError("columnTypes", "column '" + column + "' is typed twice"));
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(new ApiException.FieldError("columnTypes", "column '" + column + "': " + e.getMessage()));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return new CsvReader.Options(separator, types);
    }
}
