package dev.backprop.data;

/**
 * One thing wrong with submitted data.
 *
 * @param field where, as a JSON path ({@code data.rows[3][1]}) or a column reference
 * @param message what is wrong
 */
public record DataProblem(String field, String message) {
}
