package dev.backprop.training;

import dev.backprop.model.Warning;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a resolution chose on the client's behalf and why (field → reason, in the order chosen), and the
 * warnings it found in the request and the data; both are stored with the job and shown by a dry run.
 */
final class ResolutionNotes {

    private final Map<String, String> defaults = new LinkedHashMap<>();
    private final List<Warning> warnings = new ArrayList<>();

    /** Records that {@code field} was filled in, and the reason, e.g. "200: min(200, training rows)". */
    void chose(String field, String reason) {
        defaults.put(field, reason);
    }

    void warn(String code, String message) {
        warnings.add(new Warning(code, message));
    }

    Map<String, String> defaults() {
        return defaults;
    }

    List<Warning> warnings() {
        return warnings;
    }
}
