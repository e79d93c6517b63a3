package dev.backprop.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The classes of a classification target, in a fixed order (numbers ascending, then strings, then
 * booleans false before true). Labels are kept as given — an integer stays an integer, a string a
 * string — so predictions return them in the client's own terms. Numbers equal in value (1 and 1.0)
 * are the same class.
 */
public final class ClassLabels {

    private final List<Object> labels;
    private final Map<Object, Integer> indexByKey = new LinkedHashMap<>();

    private ClassLabels(List<Object> labels) {
        this.labels = List.copyOf(labels);
        for (int i = 0; i < labels.size(); i++) {
            indexByKey.put(key(labels.get(i)), i);
        }
    }

    /** The distinct labels of a target column, sorted. */
    public static ClassLabels of(List<Object> targets) {
        Map<Object, Object> firstByKey = new LinkedHashMap<>();
        for (Object target : targets) {
            firstByKey.putIfAbsent(key(target), target);
        }
        List<Object> sorted = new ArrayList<>(firstByKey.values());
        sorted.sort(Comparator.comparingInt(ClassLabels::rank).thenComparing(ClassLabels::compareWithinRank));
        return new ClassLabels(sorted);
    }

    /** Labels exactly as stored in a model. */
    public static ClassLabels fromStored(List<Object> labels) {
        return new ClassLabels(labels);
    }

    public List<Object> labels() {
        return labels;
    }

    public int size() {
        return labels.size();
    }

    /** The index of a label's class, or -1 when the model never saw it. */
    public int indexOf(Object label) {
        Integer index = indexByKey.get(key(label));
        return index == null ? -1 : index;
    }

    /**
     * Encodes class indices as training targets: one 0/1 column when {@code outputUnits} is 1 (the
     * second class is the positive one), otherwise one-hot columns.
     */
    public double[] encode(List<Object> targets, int outputUnits) {
        double[] encoded = new double[targets.size() * outputUnits];
        for (int r = 0; r < targets.size(); r++) {
            int index = indexOf(targets.get(r));
            if (outputUnits == 1) {
                encoded[r] = index;
            } else {
                encoded[r * outputUnits + index] = 1;
            }
        }
        return encoded;
    }

    /** True when every label is a string or a boolean (never a number). */
    public boolean allNonNumeric() {
        return labels.stream().noneMatch(l -> l instanceof Number);
    }

    private static Object key(Object label) {
        return label instanceof Number number ? (Object) number.doubleValue() : label;
    }

    private static int rank(Object label) {
        if (label instanceof Number) {
            return 0;
        }
        return label instanceof String ? 1 : 2;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareWithinRank(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return ((Comparable) a).compareTo(b);
    }
}
