package dev.backprop.nn;

import static dev.backprop.Tolerances.EXACT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Row weights in the losses, by hand: each row's loss times its weight, over the unweighted mean's denominator. */
class LossTest {

    @Test
    void weightedMeanSquaredErrorWeighsEachRowsSquaredErrors() {
        double[] output = {1.0, 2.0, 0.5, 0.5};
        double[] target = {0.0, 0.0, 0.5, 1.5};
        // rows of two outputs: row 0 errors 1 and 2 (squares 5), row 1 errors 0 and 1 (square 1)
        assertThat(Loss.MSE.value(output, output, target, 2, 2)).isCloseTo(6.0 / 4, within(EXACT));
        assertThat(Loss.MSE.value(output, output, target, 2, 2, new double[]{2.0, 0.5})).isCloseTo((2 * 5 + 0.5 * 1) / 4.0,
                within(EXACT));
    }

    @Test
    void weightedCrossEntropyWeighsEachRowsLogLoss() {
        double[] z = {0.0, Math.log(3)};
        double[] p = {0.5, 0.75};
        double[] y = {1.0, 0.0};
        // row 0: −log 0.5; row 1: −log(1 − 0.75)
        double row0 = -Math.log(0.5);
        double row1 = -Math.log(0.25);
        assertThat(Loss.BINARY_CROSSENTROPY.value(z, p, y, 2, 1, new double[]{3.0, 1.0})).isCloseTo((3 * row0 + row1) / 2,
                within(EXACT));
        assertThat(Loss.BINARY_CROSSENTROPY.value(z, p, y, 2, 1, new double[]{1.0, 1.0}))
                .isEqualTo(Loss.BINARY_CROSSENTROPY.value(z, p, y, 2, 1));
    }

    @Test
    void aRowOfWeightZeroDoesNotMoveTheGradient() {
        double[] z = {0.3, -0.2};
        double[] p = {Activation.sigmoid(0.3), Activation.sigmoid(-0.2)};
        double[] y = {1.0, 0.0};
        double[] gradient = new double[2];
        Loss.BINARY_CROSSENTROPY.gradientWrtPreActivation(z, p, y, 2, 1, Activation.sigmoid(), gradient);
        Loss.weighRowsInPlace(gradient, 2, 1, new double[]{0.0, 2.0});
        assertThat(gradient[0]).isZero();
        assertThat(gradient[1]).isCloseTo(2 * (p[1] - 0) / 2, within(EXACT));
    }
}
