package dev.backprop.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterSpaceTest {

    private static final ParameterSpace TUTORIAL = new ParameterSpace(List.of(
            new ParameterSpace.Dimension("learningRate", List.of(0.001, 0.01, 0.1), null),
            new ParameterSpace.Dimension("hiddenLayers[0].units", List.of(4L, 8L, 16L), null),
            new ParameterSpace.Dimension("activation", List.of("relu", "tanh"), null)));

    @Test
    void theTutorialsGridHasEighteenPointsLastKeyFastest() {
        assertThat(TUTORIAL.gridSize()).isEqualTo(18);
        List<Map<String, Object>> grid = TUTORIAL.grid();
        assertThat(grid).hasSize(18);
        assertThat(grid.get(0)).containsExactly(Map.entry("learningRate", 0.001), Map.entry("hiddenLayers[0].units", 4L),
                Map.entry("activation", "relu"));
        assertThat(grid.get(1)).containsEntry("activation", "tanh").containsEntry("hiddenLayers[0].units", 4L);
        assertThat(grid.get(2)).containsEntry("hiddenLayers[0].units", 8L).containsEntry("learningRate", 0.001);
        assertThat(grid.get(17)).containsEntry("learningRate", 0.1).containsEntry("hiddenLayers[0].units", 16L)
                .containsEntry("activation", "tanh");
        assertThat(new HashSet<>(grid)).hasSize(18);
    }

    @Test
    void randomSamplesAreSeededAndNeverRepeat() {
        List<Map<String, Object>> first = TUTORIAL.sample(10, 7);
        assertThat(first).hasSize(10).isEqualTo(TUTORIAL.sample(10, 7));
        assertThat(new HashSet<>(first)).hasSize(10);
        assertThat(TUTORIAL.sample(10, 8)).isNotEqualTo(first);
        // asking for more than the grid holds gives the whole grid, shuffled
        List<Map<String, Object>> all = TUTORIAL.sample(50, 7);
        assertThat(all).hasSize(18).containsExactlyInAnyOrderElementsOf(TUTORIAL.grid());
    }

    @Test
    void distributionsSampleWithinTheirRange() {
        ParameterSpace space = new ParameterSpace(List.of(
                new ParameterSpace.Dimension("learningRate", null, new ParameterSpace.Distribution.LogUniform(1e-4, 1e-1)),
                new ParameterSpace.Dimension("l2", null, new ParameterSpace.Distribution.Uniform(0, 0.5)),
                new ParameterSpace.Dimension("batchSize", null, new ParameterSpace.Distribution.IntUniform(8, 64))));
        assertThat(space.isFinite()).isFalse();
        List<Map<String, Object>> points = space.sample(200, 3);
        assertThat(points).hasSize(200);
        double smallest = 1;
        for (Map<String, Object> point : points) {
            double lr = (Double) point.get("learningRate");
            assertThat(lr).isBetween(1e-4, 1e-1);
            smallest = Math.min(smallest, lr);
            assertThat((Double) point.get("l2")).isBetween(0.0, 0.5);
            assertThat((Long) point.get("batchSize")).isBetween(8L, 64L);
        }
        // log-uniform: about a third of the draws fall in the lowest decade
        assertThat(smallest).isLessThan(2e-4);
        assertThatThrownBy(space::gridSize).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void dimensionsAndDistributionsAreValidated() {
        assertThatThrownBy(() -> new ParameterSpace.Dimension("l1", List.of(), null)).hasMessageContaining("at least one value");
        assertThatThrownBy(() -> new ParameterSpace.Dimension("l1", java.util.Arrays.asList(0.1, null), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value 1 is null");
        assertThatThrownBy(() -> new ParameterSpace.Distribution.LogUniform(0, 1)).hasMessageContaining("min > 0");
        assertThatThrownBy(() -> new ParameterSpace.Distribution.Uniform(1, 1)).hasMessageContaining("min < max");
    }

    @Test
    void rankingFollowsScikitLearn() {
        List<Double> scores = java.util.Arrays.asList(0.8, null, 0.9, 0.8, 0.7);
        assertThat(TrialRanking.rank(scores, true)).containsExactly(2, 5, 1, 2, 4);
        assertThat(TrialRanking.rank(scores, false)).containsExactly(2, 5, 4, 2, 1);
    }
}
