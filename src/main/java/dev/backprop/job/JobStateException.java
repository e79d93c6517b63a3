package dev.backprop.job;

import dev.backprop.platform.ApiException;
import dev.backprop.platform.ProblemType;

/** A transition the job's current status does not allow; answered with 409. */
public class JobStateException extends ApiException {

    public JobStateException(String detail) {
        super(ProblemType.JOB_STATE_CONFLICT, detail);
    }
}
