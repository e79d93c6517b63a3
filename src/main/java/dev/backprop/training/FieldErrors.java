package dev.backprop.training;

import dev.backprop.platform.ApiException;
import dev.backprop.platform.ApiException.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The fields at fault in one request, collected as a resolution goes, so that a 400 names them all at once. */
final class FieldErrors {

    private final List<FieldError> errors = new ArrayList<>();

    void add(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    int size() {
        return errors.size();
    }

    /** @throws ApiException a validation problem listing every field at fault, when there is one */
    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
    }

    /**
     * Runs a parser or an engine constructor, turning its {@link IllegalArgumentException} into an error
     * of {@code field}: the engine's own validation words reach the client.
     *
     * @return what it built, or null when it refused
     */
    <T> T attempt(String field, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            add(field, e.getMessage());
            return null;
        }
    }
}
