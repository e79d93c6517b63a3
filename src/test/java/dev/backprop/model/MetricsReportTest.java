package dev.backprop.model;

import static dev.backprop.Tolerances.EXACT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.nn.Metrics;
import dev.backprop.nn.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The service's metric report of engine metric sets: balanced accuracy by hand, residual points. */
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

    @Test
    void residualsAreEveryRowUpToTheCapThenEvenlySpacedRows() {
        double[] few = {1, 2, 3};
        MetricsReport small = regression(few).withResiduals(few, new double[]{1.5, 2, 2});
        assertThat(small.residuals()).containsExactly(new MetricsReport.Residual(1, 1.5), new MetricsReport.Residual(2, 2),
                new MetricsReport.Residual(3, 2));

        int rows = 2_500;
        double[] predicted = new double[rows];
        double[] actual = new double[rows];
        for (int r = 0; r < rows; r++) {
            predicted[r] = r;
            actual[r] = -r;
        }
        List<MetricsReport.Residual> sampled = regression(predicted).withResiduals(predicted, actual).residuals();
        assertThat(sampled).hasSize(MetricsReport.MAX_RESIDUALS);
        // point i is row ⌊i · 2500 / 1000⌋: rows 0, 2, 5, 7, 10, …, the last one 2497
        assertThat(sampled.get(0)).isEqualTo(new MetricsReport.Residual(0, 0));
        assertThat(sampled.get(1)).isEqualTo(new MetricsReport.Residual(2, -2));
        assertThat(sampled.get(2)).isEqualTo(new MetricsReport.Residual(5, -5));
        assertThat(sampled.get(999)).isEqualTo(new MetricsReport.Residual(2497, -2497));
    }

    private static MetricsReport regression(double[] values) {
        return MetricsReport.of(Metrics.evaluate(Task.REGRESSION, values, values, values.length, 1), null, values.length);
    }
}
