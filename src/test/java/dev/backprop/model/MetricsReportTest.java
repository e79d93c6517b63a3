package dev.backprop.model;

import static dev.backprop.Tolerances.EXACT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.nn.Metrics;
import dev.backprop.nn.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The service's metric report of engine metric sets: balanced accuracy by hand. */
class MetricsReportTest {

    @Test
    void balancedAccuracyIsTheMeanRecallOverTheClasses() {
        // 19 "common" rows all right, 1 "rare" row missed: accuracy 0.95, balanced accuracy (1 + 0) / 2
        double[] targets = new double[20];
        targets[19] = 1;
        double[] outputs = new double[20];
        MetricsReport report = MetricsReport.of(Metrics.evaluate(Task.CLASSIFICATION, outputs, targets, 20, 1),
                List.of("common", "rare"), 20);
        assertThat(report.accuracy()).isCloseTo(0.95, within(EXACT));
        assertThat(report.balancedAccuracy()).isCloseTo(0.5, within(EXACT));
    }

    @Test
    void aMulticlassBalancedAccuracySkipsClassesWithoutRows() {
        // one-hot targets: classes 0, 0, 1, 1; class 2 has no rows; predictions 0, 1, 1, 1
        double[] targets = {1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0};
        double[] outputs = {0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.8, 0.1, 0.1, 0.8, 0.1};
        MetricsReport report = MetricsReport.of(Metrics.evaluate(Task.CLASSIFICATION, outputs, targets, 4, 3),
                List.of("a", "b", "c"), 4);
        assertThat(report.balancedAccuracy()).isCloseTo((0.5 + 1.0) / 2, within(EXACT));
        assertThat(MetricsReport.of(Metrics.evaluate(Task.REGRESSION, new double[]{1, 2}, new double[]{1, 2}, 2, 1), null, 2)
                .balancedAccuracy()).isNull();
    }
}
