package dev.backprop.data;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts of a numeric column's present values in equal-width bins from its minimum to its maximum, as
 * {@code numpy.histogram} counts them: every bin is half-open {@code [edge, next edge)} except the last, which
 * includes the maximum. The number of bins follows the Freedman–Diaconis rule (width {@code 2·IQR/n^(1/3)}),
 * which adapts to the spread of the bulk of the data and not to outliers; when the interquartile range is 0 (more
 * than half the values alike) Sturges' rule ({@code ⌈log2 n⌉ + 1} bins) takes over, and a column of one value
 * has one bin. At most {@link #MAX_BINS} bins, more than a chart beside a column summary can show.
 *
 * @param rule   which rule chose the number of bins
 * @param edges  bins + 1 edges, ascending; the first is the minimum, the last the maximum
 * @param counts values per bin; they sum to the column's present values
 */
public record Histogram(Rule rule, List<Double> edges, List<Long> counts) {

    /** Bins at most. */
    static final int MAX_BINS = 50;
    /**
     * Values the quartiles are estimated from at most (evenly strided): the quartiles set only the bin width,
     * and sorting every column of a wide upload in full would cost more than the rest of its summary.
     */
    static final int QUARTILE_SAMPLE = 10_000;

    /** How the number of bins was chosen. */
    public enum Rule {
        FREEDMAN_DIACONIS("freedman_diaconis"),
        STURGES("sturges"),
        SINGLE_VALUE("single_value");

        private final String wireName;

        Rule(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    /**
     * The histogram of values with NaN for a missing cell.
     *
     * @param present values that are not NaN (at least one)
     * @param min     the smallest present value
     * @param max     the largest present value
     */
    static Histogram of(double[] values, int present, double min, double max) {
        if (min == max) {
            return new Histogram(Rule.SINGLE_VALUE, List.of(min, max), List.of((long) present));
        }
        double iqr = interquartileRange(values, present);
        Rule rule = iqr > 0 ? Rule.FREEDMAN_DIACONIS : Rule.STURGES;
        double bins = iqr > 0 ? Math.ceil((max - min) / (2 * iqr / Math.cbrt(present)))
                : Math.ceil(Math.log(present) / Math.log(2)) + 1;
        int count = (int) Math.max(1, Math.min(MAX_BINS, bins));
        double[] edges = new double[count + 1];
        for (int i = 0; i <= count; i++) {
            edges[i] = min + (max - min) * i / count;
        }
        edges[count] = max;
        long[] counts = new long[count];
        double scale = count / (max - min);
        for (double value : values) {
            if (Double.isNaN(value)) {
                continue;
            }
            int bin = (int) Math.min(count - 1, Math.floor((value - min) * scale));
            // the rounding of the scaled position may land one bin off the edges as computed
            if (bin > 0 && value < edges[bin]) {
                bin--;
            } else if (bin < count - 1 && value >= edges[bin + 1]) {
                bin++;
            }
            counts[bin]++;
        }
        List<Double> edgeList = new ArrayList<>(count + 1);
        for (double edge : edges) {
            edgeList.add(edge);
        }
        return new Histogram(rule, edgeList, Arrays.stream(counts).boxed().toList());
    }

    /** Q3 − Q1 with numpy's default (linear) interpolation, of every value or of an even stride of them. */
    static double interquartileRange(double[] values, int present) {
        int stride = Math.max(1, (int) Math.ceil((double) present / QUARTILE_SAMPLE));
        double[] sample = new double[(present + stride - 1) / stride];
        int untilNext = 0;  // present values to skip before the next one taken: a count, not a remainder a value
        int taken = 0;
        for (double value : values) {
            if (!Double.isNaN(value)) {
                if (untilNext == 0 && taken < sample.length) {
                    sample[taken++] = value;
                    untilNext = stride;
                }
                untilNext--;
            }
        }
        double[] picked = taken == sample.length ? sample : Arrays.copyOf(sample, taken);
        double q3 = quantile(picked, 0.75);
        return q3 - quantile(picked, 0.25);
    }

    /**
     * The q-quantile with linear interpolation between the two order statistics around {@code q·(n − 1)}, found by
     * selection (Hoare's quickselect, expected linear time) instead of a full sort: the sort was most of a T4 column's
     * summary. The order is {@link Double#compare}'s, the full sort's, so the values, -0.0 and 0.0 included, are the
     * ones a sort would put there. Reorders {@code values}.
     */
    static double quantile(double[] values, double q) {
        double position = q * (values.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(values.length - 1, below + 1);
        select(values, below);
        double low = values[below];
        double high = low;
        if (above > below) {
            // after selecting `below`, everything right of it is at least as large: the next order statistic is their least
            high = values[above];
            for (int i = above + 1; i < values.length; i++) {
                if (Double.compare(values[i], high) < 0) {
                    high = values[i];
                }
            }
        }
        return low + (position - below) * (high - low);
    }

    /** Moves the k-th smallest value to index k, the smaller ones before it and the larger ones after it. */
    private static void select(double[] values, int k) {
        int left = 0;
        int right = values.length - 1;
        while (right > left) {
            double pivot = values[(left + right) >>> 1];
            int i = left;
            int j = right;
            while (i <= j) {
                while (Double.compare(values[i], pivot) < 0) {
                    i++;
                }
                while (Double.compare(values[j], pivot) > 0) {
                    j--;
                }
                if (i <= j) {
                    double swap = values[i];
                    values[i++] = values[j];
                    values[j--] = swap;
                }
            }
            if (k <= j) {
                right = j;
            } else if (k >= i) {
                left = i;
            } else {
                return;
            }
        }
    }
}
