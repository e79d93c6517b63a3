package dev.backprop.model;

import dev.backprop.data.Table;
import java.util.List;
import java.util.Map;

/**
 * Rows sent to a model, as arrays of feature values in the model's feature order ({@code instances})
 * or as records keyed by column name ({@code records}); exactly one of the two is present. Cells are
 * {@link Long}, finite {@link Double}, {@link String}, {@link Boolean} or null.
 *
 * @param targets for evaluation with instances: the true label or value of each row
 */
public record ModelInput(List<List<Object>> instances, List<Map<String, Object>> records, List<Object> targets) {

    /** The rows of a table as records of some of its columns (the target column among them, for evaluation). */
    public static ModelInput records(Table table, List<String> columns) {
        int[] indexes = columns.stream().mapToInt(table::indexOf).toArray();
        List<Map<String, Object>> records = new java.util.ArrayList<>(table.rowCount());
        for (List<Object> row : table.rows()) {
            Map<String, Object> record = new java.util.LinkedHashMap<>();
            for (int c = 0; c < indexes.length; c++) {
                record.put(columns.get(c), row.get(indexes[c]));
            }
            records.add(record);
        }
        return new ModelInput(null, records, null);
    }
}
