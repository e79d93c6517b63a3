package dev.backprop.platform.web;

import dev.backprop.platform.ApiException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.util.List;

/**
 * The documented shape of every error body, exactly as {@code ProblemHandler} writes it: Spring's
 * {@code ProblemDetail} would document a {@code properties} map that never reaches the wire and no
 * {@code errors}. Never instantiated: it exists for the OpenAPI document.
 */
@Schema(name = "Problem", description = "RFC 9457 problem details (application/problem+json)",
        additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
public record ProblemResponse(
        @Schema(description = "A stable URI per kind of problem", requiredMode = Schema.RequiredMode.REQUIRED,
                example = "https://backprop.dev/problems/validation") URI type,
        @Schema(description = "The fixed human title of the kind", requiredMode = Schema.RequiredMode.REQUIRED,
                example = "Invalid request") String title,
        @Schema(description = "The HTTP status", requiredMode = Schema.RequiredMode.REQUIRED, example = "400") int status,
        @Schema(description = "What is wrong in this request", example = "training.epochs: must be at least 1") String detail,
        @Schema(description = "The request path") URI instance,
        @Schema(description = "Validation only: every field at fault, as a JSON path") List<ApiException.FieldError> errors,
        @Schema(description = "Quotas only: the quota reached", example = "history-epochs") String quota,
        @Schema(description = "Quotas only: whose limit it is", allowableValues = {"tenant", "service"}) String scope,
        @Schema(description = "Quotas only: the limit's value", example = "10000000") Long limit,
        @Schema(description = "Quotas only: what is used of it now", example = "9995000") Long used) {
}
