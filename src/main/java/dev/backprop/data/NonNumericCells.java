package dev.backprop.data;

import java.util.List;

/**
 * The cells of a mostly numeric column that are not numbers: a stray {@code ?} or {@code n/a} would
 * otherwise turn the whole column categorical without a word.
 *
 * @param count     cells that are not finite numbers (empty cells are missing, not counted)
 * @param numbers   cells that are numbers
 * @param firstRows the first data rows holding such a cell, 1-based as in the file (at most five)
 * @param values    the first distinct such values (at most five)
 * @param readAs    {@code categorical} when the column was inferred so (send {@code columnTypes=<column>:numeric}
 *                  to read these cells as missing instead), {@code missing} when an upload's column type made it numeric
 */
public record NonNumericCells(long count, long numbers, List<Long> firstRows, List<String> values, String readAs) {

    public NonNumericCells {
        firstRows = List.copyOf(firstRows);
        values = List.copyOf(values);
    }
}
