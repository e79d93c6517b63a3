package dev.backprop.nn;

import java.util.SplittableRandom;

/** The data of the tutorial's examples, generated from a seed. */
final class TutorialData {

    private TutorialData() {
    }

    static LabeledData xor() {
        return LabeledData.of(new double[][]{{0, 0}, {0, 1}, {1, 0}, {1, 1}}, new double[][]{{0}, {1}, {1}, {0}});
    }

    /** {@code rows × 3} standard-normal features labelled {@code x0 > 0 and x1 > 0}. */
    static LabeledData synthetic(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[rows][3];
        double[][] y = new double[rows][1];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 3; c++) {
                x[r][c] = random.nextGaussian();
            }
            y[r][0] = x[r][0] > 0 && x[r][1] > 0 ? 1 : 0;
        }
        return LabeledData.of(x, y);
    }

    /** Rows {@code [from, to)} of {@code data}. */
    static LabeledData rows(LabeledData data, int from, int to) {
        int[] indices = new int[to - from];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = from + i;
        }
        return data.subset(indices);
    }

    /** Three Gaussian blobs in two dimensions, one-hot labelled. */
    static LabeledData blobs(int rowsPerClass, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] centers = {{-2, 0}, {2, 0}, {0, 2.5}};
        double[][] x = new double[rowsPerClass * 3][];
        double[][] y = new double[rowsPerClass * 3][];
        for (int i = 0; i < x.length; i++) {
            int c = i % 3;
            x[i] = new double[]{centers[c][0] + 0.6 * random.nextGaussian(), centers[c][1] + 0.6 * random.nextGaussian()};
            y[i] = new double[3];
            y[i][c] = 1;
        }
        return LabeledData.of(x, y);
    }

    /** {@code y = sin(x0) + 0.5·x1²} on {@code [-2, 2]²}. */
    static LabeledData smoothRegression(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[rows][];
        double[][] y = new double[rows][];
        for (int r = 0; r < rows; r++) {
            double a = random.nextDouble(-2, 2);
            double b = random.nextDouble(-2, 2);
            x[r] = new double[]{a, b};
            y[r] = new double[]{Math.sin(a) + 0.5 * b * b};
        }
        return LabeledData.of(x, y);
    }
}
