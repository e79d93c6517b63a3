package dev.backprop.model;

import dev.backprop.data.Table;
import java.util.Optional;
import java.util.UUID;

/**
 * The stored data sets, as models see them: rows to evaluate or explain a model on. The data set
 * feature implements it, so that models need not know that feature (nor it their web edge).
 */
public interface StoredTables {

    /** A stored data set's rows, or empty when there is no such data set. */
    Optional<Table> find(UUID datasetId);
}
