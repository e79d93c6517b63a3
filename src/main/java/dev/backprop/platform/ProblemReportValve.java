package dev.backprop.platform;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.MediaType;

/**
 * Tomcat's last word on an error no application answered, as a problem instead of an HTML page: a
 * request path Tomcat refuses to decode (an encoded {@code /}, {@code \} or NUL, a bad {@code %}
 * escape) never reaches a context, so neither Spring nor the {@code /error} page sees it.
 */
class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get() || !response.setErrorReported()) {
            return;
        }
        ProblemType type = ProblemHandler.typeOf(status);
        String detail = switch (type) {
            case NOT_FOUND -> "no such resource";
            case INTERNAL -> "the request could not be completed";
            case VALIDATION -> "the request could not be read: a malformed path, header or body";
            default -> type.title();
        };
        // Every value is one of ours, none from the request, so nothing needs escaping.
        String body = "{\"type\":\"" + type.uri() + "\",\"title\":\"" + type.title() + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}";
        try {
            // Tomcat answers these before any filter runs
            FallbackHeaders.VALUES.forEach(response::setHeader);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response is committed: there is no one left to tell.
        }
    }
}
