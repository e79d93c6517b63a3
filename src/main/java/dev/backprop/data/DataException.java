package dev.backprop.data;

import java.util.List;

/** Data that cannot be used as given, with the problems found (at most {@link #MAX_PROBLEMS}). */
public class DataException extends RuntimeException {

    /** Problems reported at most; past this the client has enough to fix. */
    public static final int MAX_PROBLEMS = 20;

    private final transient List<DataProblem> problems;

    public DataException(List<DataProblem> problems) {
        super(problems.isEmpty() ? "invalid data" : problems.get(0).field() + ": " + problems.get(0).message());
        this.problems = List.copyOf(problems.subList(0, Math.min(problems.size(), MAX_PROBLEMS)));
    }

    public DataException(String field, String message) {
        this(List.of(new DataProblem(field, message)));
    }

    public List<DataProblem> problems() {
        return problems;
    }
}
