package dev.backprop.training;

import dev.backprop.data.ClassLabels;
import dev.backprop.nn.Task;
import java.util.Map;

/**
 * Class weights as a request gives them ({@code "balanced"} or label → weight) and as the engine takes
 * them (one weight per class index).
 */
final class ClassWeights {

    static final String BALANCED = "balanced";

    private ClassWeights() {
    }

    /** Checks the request's class weights against the task and the classes; returns them as stored. */
    static Object check(Object asked, DataPreparation prepared, FieldErrors errors, ResolutionNotes notes) {
        if (asked == null) {
            return null;
        }
        String field = "training.classWeights";
        if (prepared.task() != Task.CLASSIFICATION) {
            errors.add(field, "apply to classification only");
            return asked;
        }
        if (asked instanceof String name) {
            if (!name.equals(BALANCED)) {
                errors.add(field, "must be \"balanced\" or an object from class label to weight, was '" + name + "'");
            } else {
                notes.chose(field, "balanced: " + describe(weights(asked, prepared), prepared.labels()));
            }
            return asked;
        }
        if (!(asked instanceof Map<?, ?> map)) {
            errors.add(field, "must be \"balanced\" or an object from class label to weight");
            return asked;
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String label = String.valueOf(entry.getKey());
            if (indexOf(prepared.labels(), label) < 0) {
                errors.add(field + "." + label, "is not a class of the target; the classes are " + prepared.labels().labels());
            }
            if (!(entry.getValue() instanceof Number weight) || !(weight.doubleValue() >= 0) || !Double.isFinite(weight.doubleValue())) {
                errors.add(field + "." + label, "must be a finite number >= 0, was " + entry.getValue());
            }
        }
        return asked;
    }

    /** One weight per class index, or null for none; call on checked weights. */
    static double[] weights(Object stored, DataPreparation prepared) {
        if (stored == null) {
            return null;
        }
        ClassLabels labels = prepared.labels();
        double[] weights = new double[labels.size()];
        if (BALANCED.equals(stored)) {
            int[] counts = prepared.classCounts();
            int rows = prepared.rows();
            for (int c = 0; c < weights.length; c++) {
                weights[c] = counts[c] == 0 ? 0 : rows / ((double) weights.length * counts[c]);
            }
            return weights;
        }
        java.util.Arrays.fill(weights, 1);
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) stored).entrySet()) {
            weights[indexOf(labels, String.valueOf(entry.getKey()))] = ((Number) entry.getValue()).doubleValue();
        }
        return weights;
    }

    /** Class labels may be numbers (0, 1) while JSON keys are always text: compare as text. */
    private static int indexOf(ClassLabels labels, String label) {
        for (int c = 0; c < labels.size(); c++) {
            if (String.valueOf(labels.labels().get(c)).equals(label)) {
                return c;
            }
        }
        return -1;
    }

    private static String describe(double[] weights, ClassLabels labels) {
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < weights.length; c++) {
            text.append(c == 0 ? "" : ", ").append(labels.labels().get(c)).append(' ').append(String.format("%.3f", weights[c]));
        }
        return text.toString();
    }
}
