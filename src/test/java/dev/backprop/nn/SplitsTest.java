package dev.backprop.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitsTest {

    private static LabeledData imbalanced() {
        // 90 rows of class 0, 10 of class 1, feature = row index so rows can be traced
        double[][] x = new double[100][];
        double[][] y = new double[100][];
        for (int i = 0; i < 100; i++) {
            x[i] = new double[]{i};
            y[i] = new double[]{i % 10 == 0 ? 1 : 0};
        }
        return LabeledData.of(x, y);
    }

    @Test
    void stratifiedHoldoutKeepsClassProportionsAndLosesNoRow() {
        Splits.Split split = Splits.holdout(imbalanced(), 0.2, true, new SplittableRandom(1));
        assertThat(split.validation().rows()).isEqualTo(20);
        assertThat(split.training().rows()).isEqualTo(80);
        assertThat(positives(split.validation())).isEqualTo(2);
        assertThat(positives(split.training())).isEqualTo(8);
        boolean[] seen = new boolean[100];
        for (LabeledData part : new LabeledData[]{split.training(), split.validation()}) {
            for (double row : part.features()) {
                assertThat(seen[(int) row]).isFalse();
                seen[(int) row] = true;
            }
        }
    }

    @Test
    void holdoutIsSeeded() {
        assertThat(Splits.holdout(imbalanced(), 0.3, false, new SplittableRandom(4)).validation().features())
                .isEqualTo(Splits.holdout(imbalanced(), 0.3, false, new SplittableRandom(4)).validation().features());
    }

    @Test
    void everyRowIsInExactlyOneFoldAndStratificationHolds() {
        int[] fold = Splits.foldAssignment(imbalanced(), 5, true, new SplittableRandom(2));
        int[] sizes = new int[5];
        int[] positivesPerFold = new int[5];
        for (int row = 0; row < 100; row++) {
            sizes[fold[row]]++;
            if (row % 10 == 0) {
                positivesPerFold[fold[row]]++;
            }
        }
        assertThat(sizes).containsOnly(20);
        assertThat(positivesPerFold).containsOnly(2);
    }

    private static int positives(LabeledData data) {
        int count = 0;
        for (double y : data.targets()) {
            count += (int) y;
        }
        return count;
    }
}
