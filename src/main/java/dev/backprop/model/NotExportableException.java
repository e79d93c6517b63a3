package dev.backprop.model;

/**
 * A model that a format cannot express: the ONNX export covers numeric models, and one-hot categories
 * would need a string input per categorical column. The controller answers 422.
 */
public class NotExportableException extends RuntimeException {

    NotExportableException(String message) {
        super(message);
    }
}
