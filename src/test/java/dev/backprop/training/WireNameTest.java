package dev.backprop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Options parse from their wire names with the messages requests have always had, and JSON keeps those names. */
class WireNameTest {

    private static void rejects(Function<String, ?> parse, String message) {
        assertThatThrownBy(() -> parse.apply("x")).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void anUnknownNameGetsTheMessageOfItsField() {
        rejects(OptimizerType::parse, "unknown optimizer 'x'; expected one of sgd, momentum, rmsprop, adam");
        rejects(Scaling::parse, "must be standardize, minmax or none, was 'x'");
        rejects(Imputation::parse, "must be mean, median or drop, was 'x'");
        rejects(UnknownCategories::parse, "must be ignore or reject, was 'x'");
        rejects(ValidationSplit::parse, "must be stratified, random or last, was 'x'");
        rejects(ScheduleType::parse, "unknown schedule 'x'; expected one of constant, step, exponential, reduce_on_plateau");
        rejects(Direction::parse, "must be min or max, was 'x'");
        rejects(TargetScalingMode::parse, "must be standardize or none, was 'x'");
        rejects(SearchType::parse, "must be grid_search, random_search, bayesian_search or auto, was 'x'");
        assertThat(WireName.alternatives(ScheduleType.class, " or ")).isEqualTo("constant, step, exponential or reduce_on_plateau");
    }

    @Test
    void jsonWritesAndReadsTheWireName() {
        JsonMapper json = JsonMapper.builder().build();
        assertThat(json.writeValueAsString(List.of(ScheduleType.REDUCE_ON_PLATEAU, SearchType.RANDOM_SEARCH, Direction.MAX)))
                .isEqualTo("[\"reduce_on_plateau\",\"random_search\",\"max\"]");
        assertThat(json.readValue("\"reduce_on_plateau\"", ScheduleType.class)).isEqualTo(ScheduleType.REDUCE_ON_PLATEAU);
        assertThat(OptimizerType.parse("rmsprop")).isEqualTo(OptimizerType.RMSPROP);
    }
}
