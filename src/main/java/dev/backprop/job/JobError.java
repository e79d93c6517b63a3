package dev.backprop.job;

import dev.backprop.platform.ProblemType;

/**
 * Why a job failed: the kind of problem (its RFC 9457 type, as a failed request would carry) and the
 * instance's detail.
 */
public record JobError(ProblemType type, String detail) {
}
