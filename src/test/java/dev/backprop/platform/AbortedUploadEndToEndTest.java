package dev.backprop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.support.HttpEndToEndTest;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A client that gives up its upload halfway is the client's doing: the service notes it at debug level and
 * answers nothing (there is nobody to answer), where it used to log an ERROR "Unexpected error" with the stack of
 * Tomcat's {@code ClientAbortException}, an alarm for operators about nothing wrong with the service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logging.level." + ProblemHandler.DISCONNECTED_CLIENTS_LOG + "=debug")
@ExtendWith(OutputCaptureExtension.class)
class AbortedUploadEndToEndTest extends HttpEndToEndTest {

    @Test
    void anUploadTheClientAbortsIsLoggedAsAGoneClientNotAsAnError(CapturedOutput output) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /datasets?name=aborted HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                    + "Content-Length: 10000000\r\n\r\na,b\n" + "1,2\n".repeat(50_000)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // a reset rather than an orderly end: the server's next read fails at once
            socket.setSoLinger(true, 0);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> output.getOut().contains("client has gone away"));
        assertThat(output.getOut()).doesNotContain("Unexpected error");
        assertThat(http.get("/datasets").body()).doesNotContain("\"aborted\"");
    }
}
