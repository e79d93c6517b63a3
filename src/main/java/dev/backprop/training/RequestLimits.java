package dev.backprop.training;

import dev.backprop.platform.BackpropProperties;

/**
 * The caps on what one request may ask for ({@code backprop.limits.*}), so that no request can hold a
 * training thread or the heap beyond what the operator allowed.
 */
final class RequestLimits {

    private final BackpropProperties.Limits limits;
    private final FieldErrors errors;

    RequestLimits(BackpropProperties.Limits limits, FieldErrors errors) {
        this.limits = limits;
        this.errors = errors;
    }

    void checkRows(int rows) {
        if (rows > limits.maxRows()) {
            errors.add("data.rows", "holds " + rows + " rows; the limit is " + limits.maxRows());
        }
    }

    void checkHiddenLayers(int layers) {
        if (layers > limits.maxHiddenLayers()) {
            errors.add("network.hiddenLayers", "has " + layers + " layers; the limit is " + limits.maxHiddenLayers());
        }
    }

    void checkUnits(String field, int units) {
        if (units > limits.maxUnitsPerLayer()) {
            errors.add(field, "is " + units + "; the limit is " + limits.maxUnitsPerLayer());
        }
    }

    void checkEpochs(int epochs) {
        if (epochs > limits.maxEpochs()) {
            errors.add("training.epochs", "is " + epochs + "; the limit is " + limits.maxEpochs());
        }
    }

    void checkRowEpochs(long trainingRows, int epochs) {
        if (trainingRows * (long) epochs > limits.maxRowEpochs()) {
            errors.add("training.epochs", "training rows × epochs = " + trainingRows + " × " + epochs + " exceeds the limit of "
                    + limits.maxRowEpochs());
        }
    }

    void checkParameters(long parameters) {
        if (parameters > limits.maxParameters()) {
            errors.add("network", "has " + parameters + " parameters; the limit is " + limits.maxParameters());
        }
    }
}
