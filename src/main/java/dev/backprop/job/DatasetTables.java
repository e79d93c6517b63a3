package dev.backprop.job;

import dev.backprop.data.Table;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a job on a stored data set reads its rows when it runs. Implemented by the data set module, so
 * that jobs do not depend on it (it depends on jobs, to refuse deleting a data set in use).
 */
public interface DatasetTables {

    /** The rows of a stored data set, or empty when there is no such data set (any more). */
    Optional<Table> findTable(UUID datasetId);
}
