package dev.backprop.dataset;

import dev.backprop.data.Table;
import dev.backprop.model.StoredTables;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Stored data sets as the rows models are evaluated and explained on. */
@Component
class DatasetTables implements StoredTables {

    private final DatasetService datasets;

    DatasetTables(DatasetService datasets) {
        this.datasets = datasets;
    }

    @Override
    public Optional<Table> find(UUID datasetId) {
        return datasets.findTable(datasetId);
    }
}
