package dev.backprop.data;

import java.util.Arrays;

/**
 * The means of several columns, each exactly the double {@code Arrays.stream(values).average()} gives: the JDK's
 * compensated (Kahan) sum in the same order, with its final correction and its fallback to the plain sum for
 * infinities, divided by the count. Stored models hold means computed that way, so a new fit must give them bit for
 * bit.
 *
 * <p>Why not the stream: one column's compensated sum is a chain of four dependent additions per value (the
 * compensation of one value feeds the next), about 16 cycles a value whatever the core, and the stream keeps its
 * running sums in an array in memory, which made it 24; T4's 784 columns × 60,000 training rows took ~0.4 s of CPU
 * there, the largest part of a job's preparation. Four columns' chains interleaved in one loop keep the core's adders
 * busy with independent work and compute the very same sums.
 */
final class CompensatedMeans {

    private CompensatedMeans() {
    }

    /** The mean of each array (0 for an empty array or a null, as {@code average().orElse(0)}). */
    static double[] of(double[][] columns) {
        double[] means = new double[columns.length];
        int c = 0;
        for (; c + 4 <= columns.length; c += 4) {
            ofFour(columns, c, means);
        }
        for (; c < columns.length; c++) {
            double[] values = columns[c] == null ? new double[0] : columns[c];
            means[c] = new Chain().add(values, 0).mean(values.length);
        }
        return means;
    }

    /**
     * The mean of each primitive column's present values over {@code rows}, in that order: the very double {@link #of}
     * gives over those values gathered into an array (a NaN double and a missing long are not present), read from the
     * columns themselves, so that a fit needs no copy of its training rows. Four double columns are summed in one loop,
     * as in {@link #of}.
     *
     * @param columns {@link Column.Doubles} or {@link Column.Longs}; a null (a column of cells) gets 0 and a count of 0
     * @param present receives each column's count of present values
     */
    static double[] ofRows(Column[] columns, int[] rows, int[] present) {
        double[] means = new double[columns.length];
        int c = 0;
        if (columns.length == 4 && Arrays.stream(columns).allMatch(Column.Doubles.class::isInstance)) {
            ofFourRows(columns, rows, means, present);
            c = 4;
        }
        for (; c < columns.length; c++) {
            Chain chain = new Chain();
            if (columns[c] instanceof Column.Doubles doubles) {
                present[c] = chain.addPresent(doubles.values(), rows);
            } else if (columns[c] instanceof Column.Longs longs) {
                present[c] = chain.addPresent(longs, rows);
            }
            means[c] = chain.mean(present[c]);
        }
        return means;
    }

    /** Four double columns' present values over {@code rows}, their chains interleaved. */
    private static void ofFourRows(Column[] columns, int[] rows, double[] means, int[] present) {
        double[] a = ((Column.Doubles) columns[0]).values();
        double[] b = ((Column.Doubles) columns[1]).values();
        double[] d = ((Column.Doubles) columns[2]).values();
        double[] e = ((Column.Doubles) columns[3]).values();
        double sa = 0, ca = 0, pa = 0, sb = 0, cb = 0, pb = 0, sd = 0, cd = 0, pd = 0, se = 0, ce = 0, pe = 0;
        int na = 0, nb = 0, nd = 0, ne = 0;
        for (int row : rows) {
            double va = a[row];
            double vb = b[row];
            double vd = d[row];
            double ve = e[row];
            // x == x is false for NaN alone: a missing cell is no value, as when the present values are gathered first
            if (va == va) {
                double y = va - ca;
                double t = sa + y;
                ca = (t - sa) - y;
                sa = t;
                pa += va;
                na++;
            }
            if (vb == vb) {
                double y = vb - cb;
                double t = sb + y;
                cb = (t - sb) - y;
                sb = t;
                pb += vb;
                nb++;
            }
            if (vd == vd) {
                double y = vd - cd;
                double t = sd + y;
                cd = (t - sd) - y;
                sd = t;
                pd += vd;
                nd++;
            }
            if (ve == ve) {
                double y = ve - ce;
                double t = se + y;
                ce = (t - se) - y;
                se = t;
                pe += ve;
                ne++;
            }
        }
        means[0] = chain(sa, ca, pa).mean(na);
        means[1] = chain(sb, cb, pb).mean(nb);
        means[2] = chain(sd, cd, pd).mean(nd);
        means[3] = chain(se, ce, pe).mean(ne);
        present[0] = na;
        present[1] = nb;
        present[2] = nd;
        present[3] = ne;
    }

    /** The running sums of one column: the compensated sum, its compensation and the plain sum. */
    private static final class Chain {
        double sum;
        double compensation;
        double simple;

        /** Adds {@code values[from…]}, in order, as {@code Collectors.sumWithCompensation} does. */
        Chain add(double[] values, int from) {
            double s = sum;
            double c = compensation;
            double plain = simple;
            for (int i = from; i < values.length; i++) {
                double y = values[i] - c;
                double t = s + y;
                c = (t - s) - y;
                s = t;
                plain += values[i];
            }
            sum = s;
            compensation = c;
            simple = plain;
            return this;
        }

        /** Adds the present {@code values[row]} of {@code rows}, in order; returns how many were present. */
        int addPresent(double[] values, int[] rows) {
            double s = sum;
            double c = compensation;
            double plain = simple;
            int count = 0;
            for (int row : rows) {
                double value = values[row];
                if (value == value) {
                    double y = value - c;
                    double t = s + y;
                    c = (t - s) - y;
                    s = t;
                    plain += value;
                    count++;
                }
            }
            sum = s;
            compensation = c;
            simple = plain;
            return count;
        }

        /** Adds the present values of {@code rows} of a column of longs, each as a double, in order; returns how many. */
        int addPresent(Column.Longs column, int[] rows) {
            long[] values = column.values();
            double s = sum;
            double c = compensation;
            double plain = simple;
            int count = 0;
            for (int row : rows) {
                if (!column.missing().get(row)) {
                    double value = values[row];
                    double y = value - c;
                    double t = s + y;
                    c = (t - s) - y;
                    s = t;
                    plain += value;
                    count++;
                }
            }
            sum = s;
            compensation = c;
            simple = plain;
            return count;
        }

        /** {@code Collectors.computeFinalSum} over the count, or 0 without values. */
        double mean(int count) {
            if (count == 0) {
                return 0;
            }
            double total = sum - compensation;
            if (Double.isNaN(total) && Double.isInfinite(simple)) {
                total = simple;
            }
            return total / count;
        }
    }

    /** Columns {@code c … c + 3} interleaved up to the shortest one's length, then each to its end alone. */
    private static void ofFour(double[][] columns, int c, double[] means) {
        double[] a = columns[c] == null ? new double[0] : columns[c];
        double[] b = columns[c + 1] == null ? new double[0] : columns[c + 1];
        double[] d = columns[c + 2] == null ? new double[0] : columns[c + 2];
        double[] e = columns[c + 3] == null ? new double[0] : columns[c + 3];
        int common = Math.min(Math.min(a.length, b.length), Math.min(d.length, e.length));
        double sa = 0, ca = 0, pa = 0, sb = 0, cb = 0, pb = 0, sd = 0, cd = 0, pd = 0, se = 0, ce = 0, pe = 0;
        for (int i = 0; i < common; i++) {
            double ya = a[i] - ca;
            double ta = sa + ya;
            ca = (ta - sa) - ya;
            sa = ta;
            pa += a[i];
            double yb = b[i] - cb;
            double tb = sb + yb;
            cb = (tb - sb) - yb;
            sb = tb;
            pb += b[i];
            double yd = d[i] - cd;
            double td = sd + yd;
            cd = (td - sd) - yd;
            sd = td;
            pd += d[i];
            double ye = e[i] - ce;
            double te = se + ye;
            ce = (te - se) - ye;
            se = te;
            pe += e[i];
        }
        means[c] = chain(sa, ca, pa).add(a, common).mean(a.length);
        means[c + 1] = chain(sb, cb, pb).add(b, common).mean(b.length);
        means[c + 2] = chain(sd, cd, pd).add(d, common).mean(d.length);
        means[c + 3] = chain(se, ce, pe).add(e, common).mean(e.length);
    }

    private static Chain chain(double sum, double compensation, double simple) {
        Chain chain = new Chain();
        chain.sum = sum;
        chain.compensation = compensation;
        chain.simple = simple;
        return chain;
    }
}
